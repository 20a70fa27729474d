/** Labelled examples from a JSON-lines file — `{"text": "...", "label": "..."}` a line — for training and evaluation. */
import fs from 'node:fs';
import type { Example } from './model.ts';

export class ExamplesFileError extends Error {}

/** Every line checked; a label may be a string or a number (a category id). */
export function readLabelledFile(file: string): Example[] {
  if (!fs.existsSync(file)) throw new ExamplesFileError(`no such file: ${file}`);
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((line, i) => {
    let r: { text?: unknown; label?: unknown };
    try { r = JSON.parse(line) as typeof r; } catch { throw new ExamplesFileError(`${file}:${i + 1}: not JSON`); }
    if (typeof r.text !== 'string' || (typeof r.label !== 'string' && typeof r.label !== 'number')) throw new ExamplesFileError(`${file}:${i + 1}: each line needs "text" and "label"`);
    return { text: r.text, label: String(r.label) };
  });
}
