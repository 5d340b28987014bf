/** Waits `ms` milliseconds without an event loop (sync code: git calls, file renames). */
export function waitSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
