/** A sparse matrix in compressed rows: row r's entries are idx/val[start[r] .. start[r + 1]). */
export interface Csr { start: Int32Array; idx: Int32Array; val: Float32Array }
export function trainBinary(
  matrix: Csr, rows: Int32Array, ys: Int8Array, cost: Float64Array, alpha: Float64Array, dims: number, maxPasses: number, epsilon: number, seed: number,
): Float64Array;
