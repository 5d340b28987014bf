/** Stable error codes shared by the CLI (exit status, JSON errors) and GraphQL (`extensions.code`). */
export type ErrorCode =
  | "NOT_FOUND"
  | "AMBIGUOUS_ID"
  | "VALIDATION"
  | "CYCLE"
  | "CONFLICT"
  | "USAGE"
  | "DB_LOCKED"
  | "INTERNAL"
  // The database file is damaged (SQLite: malformed, not a database): bd doctor --fix rebuilds it.
  | "CORRUPT"
  // Remote mode (contract §10): a missing, unknown or revoked token; no answer; a server that
  // cannot run this client's request.
  | "UNAUTHENTICATED"
  | "UNREACHABLE"
  | "INCOMPATIBLE";

/**
 * The one error class of bd: a stable `code` plus a message that tells the user what to do, and
 * optionally a `hint` (the next command to run), which JSON errors carry as their own field.
 */
export class BdError extends Error {
  readonly hint?: string;

  constructor(readonly code: ErrorCode, message: string, opts: { hint?: string } = {}) {
    super(message);
    this.name = "BdError";
    if (opts.hint) this.hint = opts.hint;
  }
}

/** Returns a BdError with code VALIDATION. */
export function validation(message: string): BdError {
  return new BdError("VALIDATION", message);
}

/** Returns a BdError with code NOT_FOUND. */
export function notFound(message: string): BdError {
  return new BdError("NOT_FOUND", message);
}

/** The refusal of a write under `--readonly`. */
export function readOnly(): BdError {
  return new BdError("CONFLICT", "read-only mode (--readonly): this command would write; nothing was changed");
}
