import type { ErrorCode } from '@fengqiao/contracts';

/** A failure the caller can act on. Services throw these; the HTTP layer maps `code` to a status and a message. */
export class AppError extends Error {
  constructor(readonly code: ErrorCode, readonly params: Record<string, unknown> = {}) {
    super(code);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', { what });
export const forbidden = () => new AppError('FORBIDDEN');
