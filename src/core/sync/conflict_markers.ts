/** Git's conflict markers in a JSONL file: found cheaply, without the merge code (every auto-import looks). */

/** Returns true for a line git writes around a conflict. JSON lines never start with these. */
export function isMarkerLine(line: string): boolean {
  return /^(<{7}|={7}|>{7}|\|{7})( |$)/.test(line);
}

/** Returns the 1-based number of the first conflict-marker line, or 0 when there is none. */
export function firstMarkerLine(text: string): number {
  if (!/^(<{7}|={7}|>{7}|\|{7})( |$)/m.test(text)) return 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) if (isMarkerLine(lines[i])) return i + 1;
  return 0;
}
