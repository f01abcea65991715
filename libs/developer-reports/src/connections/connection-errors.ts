import { BadRequestError, NotFoundError } from '@th/platform';

export class ConnectionNotFoundError extends NotFoundError {
  constructor(id: number) {
    super(`connection ${id} not found`);
  }
}

export class DuplicateConnectionNameError extends BadRequestError {
  constructor(name: string) {
    super(`a connection named "${name}" already exists: connection names are unique`);
  }
}

/** Parses a `:connectionId` path segment: a positive integer, or a 400 naming what was sent. */
export function parseConnectionId(raw: string): number {
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new BadRequestError(`connectionId must be a positive integer, got "${raw}"`);
  }
  return id;
}
