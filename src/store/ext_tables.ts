/**
 * Application tables in bd's database (contract §9, EXTENDING.md): catalog introspection and
 * row queries. Identifiers come only from the live catalog — every table and column name is
 * checked against `sqlite_schema`/`pragma_table_info` before it is quoted into SQL — and every
 * value is a bound parameter.
 */
import { BdError } from "../model/errors.ts";
import type { Db, Param, Row } from "./db.ts";
import { quoteIdent } from "./sql_ident.ts";

export interface ColumnInfo {
  name: string;
  /** Declared type as written (e.g. `DATETIME`, `INTEGER`). */
  type: string;
  notNull: boolean;
  hasDefault: boolean;
  /** Position in the primary key (0 = not part of it). */
  pk: number;
}

export interface ForeignKeyInfo {
  id: number;
  column: string;
  table: string;
  /** Referenced column; null means the target's primary key. */
  to: string | null;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  foreignKeys: ForeignKeyInfo[];
  autoincrement: boolean;
}

/** Returns the names of all user tables. */
export function tableNames(db: Db): string[] {
  return db.all<{ name: string }>(
    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
  ).map((r) => r.name);
}

/** Returns a table's columns and foreign keys from the catalog (bound-parameter pragmas). */
export function tableInfo(db: Db, table: string): TableInfo {
  const columns = db.all<{ name: string; type: string; notnull: number; dflt_value: unknown; pk: number }>(
    'SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)',
    table,
  ).map((c) => ({
    name: c.name,
    type: c.type ?? "",
    notNull: Number(c.notnull) === 1,
    hasDefault: c.dflt_value !== null,
    pk: Number(c.pk),
  }));
  const foreignKeys = db.all<{ id: number; from: string; table: string; to: string | null; seq: number }>(
    'SELECT id, seq, "table", "from", "to" FROM pragma_foreign_key_list(?)',
    table,
  ).filter((f) => Number(f.seq) === 0).map((f) => ({ id: Number(f.id), column: f.from, table: f.table, to: f.to }));
  const sql = db.get<{ sql: string }>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", table)?.sql ??
    "";
  return { name: table, columns, foreignKeys, autoincrement: /AUTOINCREMENT/i.test(sql) };
}

/** Returns a quoted identifier after checking it against the catalog names given. */
function ident(name: string, allowed: ReadonlySet<string>): string {
  if (!allowed.has(name)) throw new BdError("INTERNAL", `refusing unknown identifier ${JSON.stringify(name)}`);
  return quoteIdent(name);
}

/** A checked handle on one table: the only way ext queries reach SQL. */
export class TableAccess {
  private readonly columnSet: Set<string>;
  private readonly tableSql: string;

  constructor(private readonly db: Db, readonly info: TableInfo) {
    const live = new Set(tableNames(db));
    this.tableSql = ident(info.name, live);
    this.columnSet = new Set(tableInfo(db, info.name).columns.map((c) => c.name));
  }

  col(name: string): string {
    return ident(name, this.columnSet);
  }

  private selectList(columns: readonly string[]): string {
    return columns.map((c) => this.col(c)).join(", ");
  }

  /** Returns the rows whose `column` is one of `keys`. */
  rowsWhereIn(columns: readonly string[], column: string, keys: readonly Param[]): Row[] {
    if (keys.length === 0) return [];
    return this.db.all(
      `SELECT ${this.selectList(columns)} FROM ${this.tableSql} WHERE ${
        this.col(column)
      } IN (SELECT value FROM json_each(?))`,
      JSON.stringify(keys),
    );
  }

  /** Returns rows matching a condition, ordered by (orderColumn, pk) with keyset paging. */
  page(
    columns: readonly string[],
    where: Condition | undefined,
    order: { column: string; desc: boolean },
    pk: string,
    after: { key: Param; pk: Param } | undefined,
    limit: number,
  ): Row[] {
    const params: Param[] = [];
    const parts: string[] = [];
    if (where) parts.push(this.conditionSql(where, params));
    const op = order.desc ? "<" : ">";
    const key = this.col(order.column);
    const pkSql = this.col(pk);
    if (after) {
      if (order.column === pk) {
        parts.push(`${pkSql} ${op} ?`);
        params.push(after.pk);
      } else {
        parts.push(`(${key} ${op} ? OR (${key} IS ? AND ${pkSql} ${op} ?))`);
        params.push(after.key, after.key, after.pk);
      }
    }
    const dir = order.desc ? "DESC" : "ASC";
    params.push(limit);
    return this.db.all(
      `SELECT ${this.selectList(columns)} FROM ${this.tableSql} ${parts.length ? `WHERE ${parts.join(" AND ")}` : ""}
       ORDER BY ${key} ${dir}, ${pkSql} ${dir} LIMIT ?`,
      ...params,
    );
  }

  /** Returns the number of rows matching a condition. */
  count(where: Condition | undefined): number {
    const params: Param[] = [];
    const sql = where ? `WHERE ${this.conditionSql(where, params)}` : "";
    return Number(this.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${this.tableSql} ${sql}`, ...params)?.n);
  }

  private conditionSql(c: Condition, params: Param[]): string {
    if ("and" in c) return c.and.length ? `(${c.and.map((x) => this.conditionSql(x, params)).join(" AND ")})` : "1";
    if ("or" in c) return c.or.length ? `(${c.or.map((x) => this.conditionSql(x, params)).join(" OR ")})` : "0";
    const col = this.col(c.column);
    switch (c.op) {
      case "isNull":
        return c.value ? `${col} IS NULL` : `${col} IS NOT NULL`;
      case "in":
      case "nin":
        params.push(JSON.stringify(c.value));
        return `${col} ${c.op === "in" ? "IN" : "NOT IN"} (SELECT value FROM json_each(?))`;
      case "contains":
        params.push(c.value as Param);
        return `instr(${col}, ?) > 0`;
      default: {
        const sqlOp = { eq: "=", neq: "<>", lt: "<", lte: "<=", gt: ">", gte: ">=" }[c.op];
        params.push(c.value as Param);
        return `${col} ${sqlOp} ?`;
      }
    }
  }

  /** Inserts a row and returns it (selected columns). */
  insert(values: Record<string, Param>, columns: readonly string[]): Row {
    const names = Object.keys(values);
    const sql = names.length
      ? `INSERT INTO ${this.tableSql} (${names.map((n) => this.col(n)).join(", ")}) VALUES (${
        names.map(() => "?").join(", ")
      })`
      : `INSERT INTO ${this.tableSql} DEFAULT VALUES`;
    return this.db.write(() => {
      const r = this.db.run(sql, ...names.map((n) => values[n]));
      return this.db.get(
        `SELECT ${this.selectList(columns)} FROM ${this.tableSql} WHERE rowid = ?`,
        r.lastInsertRowid,
      )!;
    });
  }

  /** Updates the row with this primary key; returns it, or undefined when there is none. */
  update(pk: string, key: Param, values: Record<string, Param>, columns: readonly string[]): Row | undefined {
    const names = Object.keys(values);
    return this.db.write(() => {
      if (names.length) {
        this.db.run(
          `UPDATE ${this.tableSql} SET ${names.map((n) => `${this.col(n)} = ?`).join(", ")} WHERE ${this.col(pk)} = ?`,
          ...names.map((n) => values[n]),
          key,
        );
      }
      return this.db.get(`SELECT ${this.selectList(columns)} FROM ${this.tableSql} WHERE ${this.col(pk)} = ?`, key);
    });
  }

  /** Deletes the row with this primary key; returns it as it was, or undefined. */
  delete(pk: string, key: Param, columns: readonly string[]): Row | undefined {
    return this.db.write(() => {
      const row = this.db.get(
        `SELECT ${this.selectList(columns)} FROM ${this.tableSql} WHERE ${this.col(pk)} = ?`,
        key,
      );
      if (row) this.db.run(`DELETE FROM ${this.tableSql} WHERE ${this.col(pk)} = ?`, key);
      return row;
    });
  }
}

/** A filter over one table's columns (column names are checked when turned into SQL). */
export type Condition =
  | { and: Condition[] }
  | { or: Condition[] }
  | {
    column: string;
    op: "eq" | "neq" | "lt" | "lte" | "gt" | "gte" | "in" | "nin" | "isNull" | "contains";
    value: unknown;
  };
