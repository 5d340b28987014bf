/**
 * Keeping a large `issues.jsonl` current without rewriting all of it: the changed lines are placed
 * by binary search over the sorted file (read in small blocks), and only the bytes after a change
 * that changed length are moved, in place. At 100k issues (66 MB) a flush went from reading and
 * writing the whole file with an fsync (~110 ms) to a few block reads and a move of the bytes after
 * the change.
 *
 * A crash in the middle of that write would leave a torn file, so the write is bracketed by a
 * marker file: while it exists the file is not trusted, and the next bd command (holding the
 * write lock, so the writer that left it is gone) rewrites the file whole from the database.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { compareIds, lineId } from "./jsonl.ts";

const NEWLINE = 10;
const ID_PREFIX = new TextEncoder().encode('{"id":"');

/** What spliceEdits needs of the file's bytes: a Uint8Array, or a FileBytes over a file. */
export interface Bytes {
  readonly length: number;
  indexOf(byte: number, from: number): number;
  lastIndexOf(byte: number, from: number): number;
  subarray(start: number, end: number): Uint8Array;
}

/** Random access to a file's bytes through cached blocks (only the blocks a search touches). */
export class FileBytes implements Bytes {
  private readonly blocks = new Map<number, Uint8Array>();
  constructor(private readonly fd: number, readonly length: number, private readonly blockSize = 65536) {}

  private block(n: number): Uint8Array {
    let b = this.blocks.get(n);
    if (!b) {
      const start = n * this.blockSize;
      b = new Uint8Array(Math.min(this.blockSize, this.length - start));
      readFully(this.fd, b, b.length, start);
      this.blocks.set(n, b);
    }
    return b;
  }

  indexOf(byte: number, from: number): number {
    for (let n = Math.floor(from / this.blockSize); n * this.blockSize < this.length; n++) {
      const base = n * this.blockSize;
      const i = this.block(n).indexOf(byte, Math.max(0, from - base));
      if (i >= 0) return base + i;
    }
    return -1;
  }

  lastIndexOf(byte: number, from: number): number {
    if (from < 0) return -1;
    for (let n = Math.floor(Math.min(from, this.length - 1) / this.blockSize); n >= 0; n--) {
      const base = n * this.blockSize;
      const i = this.block(n).lastIndexOf(byte, from - base);
      if (i >= 0) return base + i;
    }
    return -1;
  }

  subarray(start: number, end: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, end - start));
    readFully(this.fd, out, out.length, start);
    return out;
  }
}

/** One change: bytes [start, end) of the file become `bytes` (empty to remove a line). */
export interface Edit {
  start: number;
  end: number;
  bytes: Uint8Array;
}

/** Returns the ID (sort key) of the line [start, end), from bd's `{"id":"` prefix when it can. */
function idOfLine(buf: Bytes, start: number, end: number): string {
  const head = buf.subarray(start, Math.min(end, start + 512));
  let fast = head.length > ID_PREFIX.length;
  for (let k = 0; fast && k < ID_PREFIX.length; k++) fast = head[k] === ID_PREFIX[k];
  if (fast) {
    let id = "";
    for (let i = ID_PREFIX.length; i < head.length; i++) {
      const c = head[i];
      if (c === 34) return id; // closing quote
      if (c === 92 || c > 126) break; // escapes or non-ASCII: take the slow path
      id += String.fromCharCode(c);
    }
  }
  const whole = head.length === end - start ? head : buf.subarray(start, end);
  return lineId(new TextDecoder().decode(whole)) ?? "";
}

/**
 * Places each changed line (ID → line, or null to remove) in a file sorted by ID (bd wrote it:
 * its stat matched the one recorded) by binary search over byte offsets; returns the edits in
 * file order. Untouched lines are never decoded.
 */
export function spliceEdits(buf: Bytes, changed: Map<string, string | null>): Edit[] {
  const nextLine = (at: number) => buf.indexOf(NEWLINE, at) + 1 || buf.length;
  const idAt = (ls: number) => {
    const le = nextLine(ls);
    const end = le > ls && buf.subarray(le - 1, le)[0] === NEWLINE ? le - 1 : le;
    return idOfLine(buf, ls, end);
  };
  /** Start of the first line at or after `from` whose ID is >= id (buf.length if none). */
  const lowerBound = (from: number, id: string) => {
    let lo = from, hi = buf.length;
    while (lo < hi) {
      const mid = lo + ((hi - lo) >> 1);
      const ls = Math.max(buf.lastIndexOf(NEWLINE, mid - 1) + 1, lo); // start of the line holding mid
      if (compareIds(idAt(ls), id) < 0) lo = nextLine(ls);
      else hi = ls;
    }
    return lo;
  };
  const enc = new TextEncoder();
  const edits: Edit[] = [];
  let next = 0;
  const endsWithNewline = buf.length === 0 || buf.subarray(buf.length - 1, buf.length)[0] === NEWLINE;
  for (const id of [...changed.keys()].sort(compareIds)) {
    const at = lowerBound(next, id);
    const replaces = at < buf.length && idAt(at) === id;
    const end = replaces ? nextLine(at) : at;
    const line = changed.get(id);
    // A file whose last line has no newline gets one before anything is appended after it
    // (unless an earlier edit already replaced or removed that last line).
    const lead = at === buf.length && !endsWithNewline && edits.at(-1)?.end !== buf.length ? "\n" : "";
    const bytes = line ? enc.encode(`${lead}${line}\n`) : new Uint8Array(0);
    if (replaces || bytes.length) edits.push({ start: at, end, bytes });
    next = end;
  }
  return edits;
}

/** The marker that exists only while a file is being patched in place. */
export function patchMarker(path: string): string {
  return join(dirname(path), `.${basename(path)}.patching`);
}

/**
 * True when a patch of this file was interrupted: its marker is still there and names this very
 * file (same inode). A file that git replaced since (a checkout writes a new file) is not torn.
 */
export function patchInterrupted(path: string): boolean {
  const marker = patchMarker(path);
  if (!existsSync(marker)) return false;
  try {
    const ino = String(statSync(path).ino);
    const named = readFileSync(marker, "utf8").trim();
    if (named === "" || named === ino) return true;
  } catch {
    return true; // unreadable: do not trust the file
  }
  clearPatchMarker(path);
  return false;
}

/** Forgets an interrupted patch (after the file was rewritten whole). */
export function clearPatchMarker(path: string): void {
  try {
    unlinkSync(patchMarker(path));
  } catch { /* none */ }
}

/**
 * Applies `edits` (in file order, offsets of the file as it is) to the open file in place and
 * returns its new size. The bytes between edits that must shift are moved through one reused
 * buffer, never held whole: a fresh 50 MB tail cost ~25 ms in page faults alone at 100k issues,
 * where moving it in 1 MiB steps costs the copies only. Bytes that do not shift are not touched.
 *
 * Order makes it safe without holding anything: the destinations are disjoint and in file order,
 * so moving every leftward run front to back, then every rightward run back to front (each run in
 * the matching direction), never overwrites bytes still to be read; the new lines go last.
 */
export function applyEditsInPlace(fd: number, size: number, edits: Edit[], chunk = 1 << 20): number {
  const moves: { from: number; length: number; shift: number }[] = [];
  const lines: { at: number; bytes: Uint8Array }[] = [];
  let shift = 0;
  for (let k = 0; k < edits.length; k++) {
    const e = edits[k];
    if (e.bytes.length) lines.push({ at: e.start + shift, bytes: e.bytes });
    shift += e.bytes.length - (e.end - e.start);
    const runEnd = k + 1 < edits.length ? edits[k + 1].start : size;
    if (runEnd > e.end && shift !== 0) moves.push({ from: e.end, length: runEnd - e.end, shift });
  }
  // No bigger than the longest run (a spread of every run's length would overflow the argument
  // limit when an import moves 100k of them).
  const buf = new Uint8Array(Math.min(chunk, moves.reduce((most, m) => Math.max(most, m.length), 1)));
  const copy = (from: number, length: number, to: number) => {
    readFully(fd, buf, length, from);
    writeFully(fd, buf.subarray(0, length), to);
  };
  for (const m of moves.filter((m) => m.shift < 0)) {
    for (let done = 0; done < m.length; done += buf.length) {
      const n = Math.min(buf.length, m.length - done);
      copy(m.from + done, n, m.from + done + m.shift);
    }
  }
  for (const m of moves.filter((m) => m.shift > 0).reverse()) {
    for (let left = m.length; left > 0; left -= buf.length) {
      const n = Math.min(buf.length, left);
      copy(m.from + left - n, n, m.from + left - n + m.shift);
    }
  }
  // New lines that follow one another (an import into an empty file: all of them) go out
  // together, not one write per line.
  for (let k = 0; k < lines.length;) {
    let end = k + 1, length = lines[k].bytes.length;
    while (end < lines.length && lines[end].at === lines[k].at + length && length < chunk) {
      length += lines[end++].bytes.length;
    }
    const joined = end === k + 1 ? lines[k].bytes : new Uint8Array(length);
    if (joined !== lines[k].bytes) {
      for (let i = k, at = 0; i < end; at += lines[i++].bytes.length) joined.set(lines[i].bytes, at);
    }
    writeFully(fd, joined, lines[k].at);
    k = end;
  }
  return size + shift;
}

function readFully(fd: number, into: Uint8Array, length: number, position: number): void {
  for (let at = 0; at < length;) {
    const got = readSync(fd, into, at, length - at, position + at);
    if (got <= 0) throw new Error("file shrank while reading");
    at += got;
  }
}

function writeFully(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length;) {
    done += writeSync(fd, bytes, done, bytes.length - done, position + done);
  }
}

/**
 * Applies the changes to the sorted file in place: reads only what the search touches, moves the
 * bytes after each change by its growth, writes the changed lines, truncates.
 */
export function patchSortedFile(path: string, changed: Map<string, string | null>): boolean {
  const fd = openSync(path, "r+");
  try {
    const size = fstatSync(fd).size;
    const edits = spliceEdits(new FileBytes(fd, size), changed);
    if (edits.length === 0) return true;
    writeFileSync(patchMarker(path), String(fstatSync(fd).ino));
    ftruncateSync(fd, applyEditsInPlace(fd, size, edits));
    unlinkSync(patchMarker(path));
    return true;
  } finally {
    closeSync(fd);
  }
}
