/** The SQLite connection: pragmas, cached statements, transactions, and error mapping. */
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { BdError } from "../model/errors.ts";

export type Param = SQLInputValue;
export type Row = Record<string, SQLInputValue>;

/** Default busy timeout: long enough that concurrent agents queue instead of failing. */
export const BUSY_TIMEOUT_MS = 10_000;

/** A bd database connection. Every statement goes through `all`/`get`/`run` (counted). */
export class Db {
  readonly raw: DatabaseSync;
  /** Statements executed so far (lets tests assert there is no N+1). */
  statementCount = 0;
  private readonly cache = new Map<string, StatementSync>();
  private depth = 0;
  private savepointSeq = 0;
  private afterCommit: (() => void)[] = [];
  private readonly timeoutMs: number;

  private constructor(raw: DatabaseSync, timeoutMs: number) {
    this.raw = raw;
    this.timeoutMs = timeoutMs;
  }

  /**
   * Connects to the database at `path` (creating the file), with foreign keys on, and runs
   * `prepare` on the new connection (store/open.ts migrates there); closes it again if that throws.
   */
  static connect(
    path: string,
    opts: { readOnly?: boolean; timeoutMs?: number } = {},
    prepare: (db: Db) => void = () => {},
  ): Db {
    const timeoutMs = opts.timeoutMs ?? BUSY_TIMEOUT_MS;
    let raw: DatabaseSync;
    try {
      raw = new DatabaseSync(path, {
        timeout: timeoutMs,
        readOnly: opts.readOnly ?? false,
        enableForeignKeyConstraints: true,
      });
    } catch (e) {
      throw mapSqliteError(e, `cannot open database ${path}`);
    }
    const db = new Db(raw, timeoutMs);
    try {
      prepare(db);
    } catch (e) {
      raw.close();
      throw mapSqliteError(e, `cannot use database ${path}`, timeoutMs);
    }
    return db;
  }

  close(): void {
    if (this.raw.isOpen) this.raw.close();
  }

  private stmt(sql: string): StatementSync {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      this.cache.set(sql, s);
    }
    this.statementCount++;
    return s;
  }

  /** Returns all rows of a query. */
  all<T = Row>(sql: string, ...params: Param[]): T[] {
    try {
      return this.stmt(sql).all(...params) as T[];
    } catch (e) {
      throw mapSqliteError(e, undefined, this.timeoutMs);
    }
  }

  /** Returns the first row of a query, or undefined. */
  get<T = Row>(sql: string, ...params: Param[]): T | undefined {
    try {
      return this.stmt(sql).get(...params) as T | undefined;
    } catch (e) {
      throw mapSqliteError(e, undefined, this.timeoutMs);
    }
  }

  /** Runs a statement; returns the number of changed rows and the last rowid. */
  run(sql: string, ...params: Param[]): { changes: number; lastInsertRowid: number } {
    try {
      const r = this.stmt(sql).run(...params);
      return { changes: Number(r.changes), lastInsertRowid: Number(r.lastInsertRowid) };
    } catch (e) {
      throw mapSqliteError(e, undefined, this.timeoutMs);
    }
  }

  /** Executes one or more statements without parameters (DDL, pragmas). */
  exec(sql: string): void {
    try {
      this.statementCount++;
      this.raw.exec(sql);
    } catch (e) {
      throw mapSqliteError(e, undefined, this.timeoutMs);
    }
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  /**
   * Runs `fn` in one write transaction (`BEGIN IMMEDIATE`, so concurrent writers queue on the
   * busy timeout instead of failing on a lock upgrade). Nested calls become savepoints, so a
   * failing inner step rolls back alone. Callbacks registered with `onCommit` run after the
   * outermost commit.
   */
  write<T>(fn: () => T): T {
    if (this.depth > 0) {
      const name = `sp${++this.savepointSeq}`;
      this.exec(`SAVEPOINT ${name}`);
      this.depth++;
      try {
        const result = fn();
        this.exec(`RELEASE ${name}`);
        return result;
      } catch (e) {
        this.exec(`ROLLBACK TO ${name}`);
        this.exec(`RELEASE ${name}`);
        throw e;
      } finally {
        this.depth--;
      }
    }
    this.exec("BEGIN IMMEDIATE");
    this.depth = 1;
    let result: T;
    try {
      result = fn();
      this.exec("COMMIT");
    } catch (e) {
      try {
        this.exec("ROLLBACK");
      } catch { /* the transaction may already be gone */ }
      this.afterCommit = [];
      throw e;
    } finally {
      this.depth = 0;
    }
    const callbacks = this.afterCommit;
    this.afterCommit = [];
    for (const cb of callbacks) cb();
    return result;
  }

  /** Runs `cb` after the current outermost transaction commits (at once outside one). */
  onCommit(cb: () => void): void {
    if (this.depth === 0) cb();
    else if (!this.afterCommit.includes(cb)) this.afterCommit.push(cb);
  }
}

/** Maps a node:sqlite error to a BdError; the one place that reads SQLite's message text. */
export function mapSqliteError(e: unknown, context?: string, timeoutMs = BUSY_TIMEOUT_MS): unknown {
  if (e instanceof BdError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const where = context ? `${context}: ` : "";
  if (/database is locked|database table is locked|SQLITE_BUSY/i.test(message)) {
    return new BdError(
      "DB_LOCKED",
      `${where}database is locked by another process (waited ${
        timeoutMs / 1000
      } s); retry, or stop the process holding it`,
    );
  }
  if (/readonly database|attempt to write a readonly/i.test(message)) {
    return new BdError("INTERNAL", `${where}the database is read-only; check file permissions`);
  }
  if (/disk I\/O error/i.test(message)) {
    return new BdError(
      "INTERNAL",
      `${where}disk I/O error (the disk may be full, a file size limit reached, or the device failing); the transaction was rolled back`,
    );
  }
  if (
    /database disk image is malformed|file is not a database|not a database|SQLITE_CORRUPT|SQLITE_NOTADB/i.test(message)
  ) {
    return new BdError(
      "CORRUPT",
      `${where}the database file is damaged (${message}); nothing was written. 'bd doctor --fix' moves it aside (kept) and rebuilds it from issues.jsonl`,
      { hint: "bd doctor --fix" },
    );
  }
  if (/unable to open database/i.test(message)) {
    return new BdError("INTERNAL", `${where}${message}`);
  }
  if (/FOREIGN KEY constraint failed/i.test(message)) {
    return new BdError("VALIDATION", `${where}a referenced row does not exist (foreign key constraint)`);
  }
  if (/UNIQUE constraint failed: (.*)$/i.test(message)) {
    return new BdError(
      "CONFLICT",
      `${where}a row with the same ${message.replace(/^.*UNIQUE constraint failed: /i, "")} already exists`,
    );
  }
  if (/NOT NULL constraint failed: (.*)$/i.test(message)) {
    return new BdError("VALIDATION", `${where}${message.replace(/^.*NOT NULL constraint failed: /i, "")} is required`);
  }
  if (/CHECK constraint failed/i.test(message)) {
    return new BdError("VALIDATION", `${where}a value breaks a CHECK constraint of the table`);
  }
  if (/datatype mismatch/i.test(message)) {
    return new BdError("VALIDATION", `${where}a value has the wrong type for its column`);
  }
  if (/database or disk is full/i.test(message)) {
    return new BdError("INTERNAL", `${where}the disk is full; nothing was written`);
  }
  return e;
}
