/**
 * SHA-256, with node:crypto loaded on first use: importing it eagerly costs about 2.5 ms of
 * start-up in the single binary, and most commands never hash anything.
 */
import process from "node:process";

type Crypto = typeof import("node:crypto");
let crypto: Crypto | undefined;

function load(): Crypto {
  crypto ??= process.getBuiltinModule("node:crypto") as Crypto;
  return crypto;
}

/** Returns the SHA-256 digest of a string (UTF-8). */
export function sha256(text: string): Uint8Array {
  return load().createHash("sha256").update(text).digest();
}

/** Returns the SHA-256 digest of a string as hex. */
export function sha256Hex(text: string): string {
  return load().createHash("sha256").update(text).digest("hex");
}
