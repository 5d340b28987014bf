/** Output: JSON for scripts (stdout only), readable text for people, colour only on a TTY. */
import process from "node:process";
import type { BdError } from "../model/errors.ts";

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export class Output {
  private stdoutChunks: string[] = [];
  private stderrChunks: string[] = [];
  readonly colour: boolean;

  constructor(readonly json: boolean, readonly quiet: boolean, env: Record<string, string | undefined>) {
    this.colour = !json && !env.NO_COLOR && !!process.stdout.isTTY && env.TERM !== "dumb";
  }

  /** Prints one compact JSON line to stdout. */
  data(value: unknown): void {
    this.stdoutChunks.push(JSON.stringify(value ?? null) + "\n");
  }

  /** Writes text to stdout as it is (JSONL export). */
  raw(text: string): void {
    this.stdoutChunks.push(text);
  }

  /** Prints a line of human text to stdout (nothing in --json mode). */
  line(text = ""): void {
    if (!this.json) this.stdoutChunks.push(text + "\n");
  }

  /** Prints a note to stderr (suppressed by --quiet). */
  note(text: string): void {
    if (!this.quiet) this.stderrChunks.push(text + "\n");
  }

  /** Reports one failure on stderr (JSON object with --json). */
  error(e: BdError): void {
    if (this.json) {
      this.stderrChunks.push(JSON.stringify({ error: { code: e.code, message: e.message } }) + "\n");
    } else this.stderrChunks.push(`Error: ${e.message}\n`);
  }

  paint(colour: Colour, text: string): string {
    return this.colour ? `\x1b[${CODES[colour]}m${text}\x1b[0m` : text;
  }

  /** Drops stdout written so far (a failed command leaves stdout empty). */
  discardStdout(): void {
    this.stdoutChunks = [];
  }

  /** Writes everything buffered; resolves when the streams have taken it. */
  async flush(): Promise<void> {
    const write = (stream: { write(s: string, cb: () => void): boolean }, chunks: string[]) =>
      chunks.length === 0 ? Promise.resolve() : new Promise<void>((resolve) => {
        stream.write(chunks.join(""), () => resolve());
      });
    const out = this.stdoutChunks, err = this.stderrChunks;
    this.stdoutChunks = [];
    this.stderrChunks = [];
    await Promise.all([write(process.stdout, out), write(process.stderr, err)]);
  }
}

/** Returns rows formatted as aligned columns (ANSI codes do not count toward width). */
export function table(rows: string[][]): string[] {
  // deno-lint-ignore no-control-regex
  const visible = (s: string) => [...s.replace(/\x1b\[[0-9;]*m/g, "")].length;
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))));
  return rows.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat(widths[i] - visible(cell)))).join("  ")
      .trimEnd()
  );
}
