/** Output: JSON for scripts (stdout only), readable text for people, colour only on a TTY. */
import process from "node:process";
import { builtin } from "./builtin.ts";
import type { BdError } from "../model/errors.ts";

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export class Output {
  private stdoutChunks: string[] = [];
  private stderrChunks: string[] = [];
  private colourCache?: boolean;
  /**
   * The category of a status that is not built in (custom statuses draw with their category's
   * icon); set once the workspace is open, asked only for such statuses.
   */
  customCategory: (status: string) => string | undefined = () => undefined;

  constructor(
    readonly json: boolean,
    readonly quiet: boolean,
    private readonly env: Record<string, string | undefined>,
    private readonly sink: Sink = FD_SINK,
  ) {}

  /** Whether text is coloured: asked only when something is painted (it looks at the terminal). */
  get colour(): boolean {
    return this.colourCache ??= !this.json && !this.env.NO_COLOR && this.env.TERM !== "dumb" && this.terminal;
  }

  /** True when stdout is a terminal (told to a server running this command, for the same colours). */
  get terminal(): boolean {
    return this.sink.terminal ?? (this.sink === FD_SINK && stdoutIsTerminal());
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
    if (!this.json) this.stdoutChunks.push(visible(text) + "\n");
  }

  /** Prints a note to stderr (suppressed by --quiet). */
  note(text: string): void {
    if (!this.quiet) this.stderrChunks.push(visible(text) + "\n");
  }

  /** Reports one failure on stderr (JSON object with --json). */
  error(e: BdError): void {
    if (this.json) {
      // Contract §4 (upstream's shape): `.error` is the message; bd's code stays in `.code`.
      const line = { error: e.message, code: e.code, ...(e.hint ? { hint: e.hint } : {}), schema_version: 1 };
      this.stderrChunks.push(JSON.stringify(line) + "\n");
    } else this.stderrChunks.push(`Error: ${visible(e.message)}\n`);
  }

  paint(colour: Colour, text: string): string {
    return this.colour ? `\x1b[${CODES[colour]}m${text}\x1b[0m` : text;
  }

  /** Drops stdout written so far (a failed command leaves stdout empty). */
  discardStdout(): void {
    this.stdoutChunks = [];
  }

  /**
   * Writes everything buffered. Plain synchronous writes to fds 1 and 2: creating the process
   * streams costs start-up time, and a short-lived CLI gains nothing from them.
   */
  flush(): Promise<void> {
    const out = this.stdoutChunks, err = this.stderrChunks;
    this.stdoutChunks = [];
    this.stderrChunks = [];
    if (out.length) this.sink.stdout(out.join(""));
    if (err.length) this.sink.stderr(err.join(""));
    return Promise.resolve();
  }
}

/**
 * Bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E/U+200F, U+061C) make a terminal show
 * text in another order than it is stored (a title that reads as something else): human output
 * shows them escaped (`\u202e`). JSON keeps them as they are.
 */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
export function visible(text: string): string {
  return text.replace(BIDI, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Where output goes: the process's fds 1 and 2, or a caller's functions (embedding, tests). */
export interface Sink {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether the output ends up on a terminal (else: fds 1 and 2 are asked, and other sinks are not). */
  terminal?: boolean;
}

/**
 * The process's fds 1 and 2. In the Bun binary through console.log/console.error, which are native
 * there and write every byte before exit (node:fs would cost ~1 ms of start-up to load, and
 * process.stdout several); they end each write with a newline, so text without one goes to the
 * stream. Elsewhere (Deno) plain synchronous writes.
 */
export const FD_SINK: Sink = process.versions.bun
  ? {
    stdout: (t) => (t.endsWith("\n") ? console.log(t.slice(0, -1)) : process.stdout.write(t)),
    stderr: (t) => (t.endsWith("\n") ? console.error(t.slice(0, -1)) : process.stderr.write(t)),
  }
  : { stdout: (t) => writeAll(1, t), stderr: (t) => writeAll(2, t) };

/** True when stdout is a terminal (an fstat: node:tty costs ~3 ms of start-up in the binary). */
function stdoutIsTerminal(): boolean {
  try {
    return builtin("node:fs").fstatSync(1).isCharacterDevice();
  } catch {
    return false;
  }
}

/** Writes all of `text` to a file descriptor (retrying partial writes and EAGAIN on pipes). */
function writeAll(fd: number, text: string): void {
  let buf = new TextEncoder().encode(text);
  while (buf.length) {
    try {
      const n = builtin("node:fs").writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (e) {
      if ((e as { code?: string }).code === "EAGAIN") continue;
      if ((e as { code?: string }).code === "EPIPE") return; // the reader went away (e.g. | head)
      throw e;
    }
  }
}
