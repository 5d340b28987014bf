/** Quoting of SQL identifiers: only for names read from the catalog (sqlite_schema, pragmas), never from input. */

/** Returns `name` as a double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
