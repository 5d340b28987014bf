/**
 * MCP over stdio, one JSON-RPC message per line, that never stops on bad input: a line that is not
 * JSON gets a -32700 parse error, a message that is not JSON-RPC a -32600, and a line longer than
 * MAX_LINE_BYTES is skipped to its end and answered with -32600; the server keeps serving. (The
 * SDK's own transport closes the connection, silently, on a line over 10 MB.)
 */
import process from "node:process";
import { Buffer } from "node:buffer";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";

/** The longest message line accepted (bytes). */
export const MAX_LINE_BYTES = 10 * 1024 * 1024;

export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private chunks: Buffer[] = [];
  private size = 0;
  /** Set while the rest of an oversized line is being skipped. */
  private skipping = false;
  private closed = false;

  constructor(
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream = process.stdout,
    private readonly maxLine = MAX_LINE_BYTES,
  ) {}

  start(): Promise<void> {
    this.input.on("data", this.onData);
    this.input.on("end", this.onEnd);
    this.input.on("error", (e: Error) => this.onerror?.(e));
    return Promise.resolve();
  }

  private readonly onData = (chunk: Buffer | string) => {
    let data = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10)) {
      const head = data.subarray(0, nl);
      data = data.subarray(nl + 1);
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      if (this.size + head.length > this.maxLine) {
        this.reset();
        this.refuse(-32600, `message larger than ${this.maxLine} bytes: not read`);
        continue;
      }
      this.chunks.push(head);
      const line = Buffer.concat(this.chunks).toString("utf8").replace(/\r$/, "");
      this.reset();
      if (line.trim()) this.handle(line);
    }
    if (!data.length || this.skipping) return;
    if (this.size + data.length > this.maxLine) {
      // Too long already: drop what came, skip to the line's end, and say so once.
      this.reset();
      this.skipping = true;
      this.refuse(-32600, `message larger than ${this.maxLine} bytes: not read`);
      return;
    }
    this.chunks.push(data);
    this.size += data.length;
  };

  private readonly onEnd = () => void this.close();

  private reset() {
    this.chunks = [];
    this.size = 0;
  }

  private handle(line: string) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return this.refuse(-32700, "parse error: the line is not JSON");
    }
    const message = JSONRPCMessageSchema.safeParse(parsed);
    if (!message.success) {
      const id = (parsed as { id?: unknown })?.id;
      return this.refuse(
        -32600,
        "invalid request: not a JSON-RPC 2.0 message",
        typeof id === "string" || typeof id === "number" ? id : null,
      );
    }
    this.onmessage?.(message.data);
  }

  private refuse(code: number, message: string, id: string | number | null = null) {
    void this.send({ jsonrpc: "2.0", id, error: { code, message } } as unknown as JSONRPCMessage);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.output.write(JSON.stringify(message) + "\n")) resolve();
      else this.output.once("drain", () => resolve());
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.input.off("data", this.onData);
    this.input.off("end", this.onEnd);
    this.reset();
    this.onclose?.();
    return Promise.resolve();
  }
}
