/**
 * Turns the extension plan into SDL (`extend type Issue/Query/Mutation`, one object type per
 * table) and resolvers, merged with the core schema into one executable schema. Nested fields
 * load through per-request DataLoaders (one statement per table and key column).
 */
import { Buffer } from "node:buffer";
import DataLoader from "dataloader";
import type { Beads } from "../../core/service.ts";
import type { Condition, TableAccess } from "../../store/ext_tables.ts";
import type { Param, Row } from "../../store/db.ts";
import { BdError } from "../../model/errors.ts";
import { type GqlContext, MAX_PAGE } from "../context.ts";
import { configPath, configStamp, loadConfig, type LoadedConfig } from "./config.ts";
import { type FieldPlan, type Plan, planExtensions, type Problem, type TablePlan } from "./plan.ts";

export interface ExtensionBuild {
  sdl: string;
  // deno-lint-ignore no-explicit-any
  resolvers: Record<string, any> | undefined;
  problems: Problem[];
  plan: Plan;
}

/** Returns the extension config for a workspace (explicit path, else `.beads/graphql.json`). */
export function loadExtensionConfig(beads: Beads, explicitPath?: string): LoadedConfig {
  return loadConfig(configPath(beads, explicitPath));
}

/** Returns a stamp that changes when the workspace's extension config file changes. */
export function extensionConfigStamp(beads: Beads, explicitPath?: string): string {
  return configStamp(configPath(beads, explicitPath));
}

const SHARED_SDL = `
"Comparison for Int columns of extension tables."
input ExtIntFilter { eq: Int neq: Int in: [Int!] nin: [Int!] lt: Int lte: Int gt: Int gte: Int isNull: Boolean }
input ExtFloatFilter { eq: Float neq: Float in: [Float!] nin: [Float!] lt: Float lte: Float gt: Float gte: Float isNull: Boolean }
input ExtStringFilter { eq: String neq: String in: [String!] nin: [String!] lt: String lte: String gt: String gte: String contains: String isNull: Boolean }
input ExtDateTimeFilter { eq: DateTime neq: DateTime in: [DateTime!] nin: [DateTime!] lt: DateTime lte: DateTime gt: DateTime gte: DateTime isNull: Boolean }
input ExtBooleanFilter { eq: Boolean neq: Boolean isNull: Boolean }
input ExtJSONFilter { isNull: Boolean }
`;

const FILTER_FOR: Record<string, string> = {
  Int: "ExtIntFilter",
  Float: "ExtFloatFilter",
  String: "ExtStringFilter",
  DateTime: "ExtDateTimeFilter",
  Boolean: "ExtBooleanFilter",
  JSON: "ExtJSONFilter",
};

const constantCase = (field: string) => field.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

function tableSdl(t: TablePlan, plan: Plan): string {
  const desc = (s: string) => `"${s.replaceAll('"', "'")}"`;
  const lines: string[] = [];
  const fieldLines = t.fields.map((f) => `  ${f.field}: ${f.gqlType}${f.nonNull ? "!" : ""}`);
  const forward = t.forward.map((r) =>
    `  ${desc(`${r.targetType} referenced by ${r.column}.`)}\n  ${r.field}: ${r.targetType}`
  );
  const reverse = plan.reverse.filter((r) => r.onType === t.typeName).map((r) =>
    `  ${desc(`Rows of ${r.fromTable} whose ${r.fromColumn} references this row.`)}\n  ${r.field}: [${r.fromType}!]!`
  );
  lines.push(`${desc(`Rows of the application table ${t.table} (extension ${t.extension}).`)}`);
  lines.push(`type ${t.typeName} {\n${[...fieldLines, ...forward, ...reverse].join("\n")}\n}`);
  lines.push(`type ${t.typeName}Edge { cursor: String! node: ${t.typeName}! }`);
  lines.push(
    `type ${t.typeName}Connection { nodes: [${t.typeName}!]! edges: [${t.typeName}Edge!]! pageInfo: PageInfo! totalCount: Int! }`,
  );
  lines.push(
    `input ${t.typeName}Where {\n  and: [${t.typeName}Where!]\n  or: [${t.typeName}Where!]\n${
      t.fields.map((f) => `  ${f.field}: ${FILTER_FOR[f.gqlType]}`).join("\n")
    }\n}`,
  );
  lines.push(
    `enum ${t.typeName}OrderField { ${
      t.fields.filter((f) => f.kind !== "json" && f.kind !== "blob").map((f) => constantCase(f.field)).join(" ")
    } }`,
  );
  lines.push(`input ${t.typeName}Order { field: ${t.typeName}OrderField! direction: OrderDirection = ASC }`);
  if (t.writable) {
    lines.push(
      `input ${t.typeName}Insert {\n${
        t.fields.map((f) => `  ${f.field}: ${f.gqlType}${f.requiredOnInsert ? "!" : ""}`).join("\n")
      }\n}`,
    );
    lines.push(
      `input ${t.typeName}Set {\n${
        t.fields.filter((f) => f !== t.pk).map((f) => `  ${f.field}: ${f.gqlType}`).join("\n") || "  _unused: Boolean"
      }\n}`,
    );
  }
  return lines.join("\n");
}

function sdlFor(plan: Plan): string {
  if (plan.tables.length === 0) return "";
  const parts = [SHARED_SDL, ...plan.tables.map((t) => tableSdl(t, plan))];
  const query = plan.tables.flatMap((t) => [
    `  "One row of ${t.table} by its primary key."\n  ${t.byPkName}(${t.pk.field}: ${t.pk.gqlType}!): ${t.typeName}`,
    `  "Rows of ${t.table}: filter with where (and/or lists), order, and page with cursors (first ≤ ${MAX_PAGE})."\n  ${t.listName}(where: ${t.typeName}Where, orderBy: ${t.typeName}Order, first: Int = 50, after: String): ${t.typeName}Connection`,
  ]);
  parts.push(`extend type Query {\n${query.join("\n")}\n}`);
  const mutations = plan.tables.filter((t) => t.writable).flatMap((t) => [
    `  insert${t.typeName}(input: ${t.typeName}Insert!): ${t.typeName}`,
    `  update${t.typeName}(${t.pk.field}: ${t.pk.gqlType}!, set: ${t.typeName}Set!): ${t.typeName}`,
    `  delete${t.typeName}(${t.pk.field}: ${t.pk.gqlType}!): ${t.typeName}`,
  ]);
  if (mutations.length) parts.push(`extend type Mutation {\n${mutations.join("\n")}\n}`);
  const onIssue = plan.reverse.filter((r) => r.onType === "Issue");
  if (onIssue.length) {
    parts.push(
      `extend type Issue {\n${
        onIssue.map((r) => `  "Rows of ${r.fromTable} for this issue."\n  ${r.field}: [${r.fromType}!]!`).join("\n")
      }\n}`,
    );
  }
  return parts.join("\n\n");
}

// ---------------------------------------------------------------- values

function toGraphql(f: FieldPlan, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (f.kind) {
    case "json":
      if (typeof v !== "string") return v;
      try {
        return JSON.parse(v);
      } catch {
        return v; // not JSON after all: hand back the text rather than fail the row
      }
    case "blob":
      return v instanceof Uint8Array ? Buffer.from(v).toString("base64") : String(v);
    case "bigint":
      return String(v);
    case "boolean":
      return Boolean(v);
    case "datetime":
    case "string":
      return String(v);
    default:
      return v;
  }
}

function toSql(f: FieldPlan, v: unknown): Param {
  if (v === null || v === undefined) return null;
  switch (f.kind) {
    case "json":
      return JSON.stringify(v);
    case "blob":
      return new Uint8Array(Buffer.from(String(v), "base64"));
    case "boolean":
      return v ? 1 : 0;
    case "bigint":
      return /^-?\d+$/.test(String(v)) ? BigInt(String(v)) as unknown as Param : String(v);
    default:
      return v as Param;
  }
}

const OPS = ["eq", "neq", "lt", "lte", "gt", "gte", "in", "nin", "contains", "isNull"] as const;

function whereToCondition(t: TablePlan, where: Record<string, unknown> | null | undefined): Condition | undefined {
  if (!where) return undefined;
  const parts: Condition[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === null || value === undefined) continue;
    if (key === "and" || key === "or") {
      const list = (value as Record<string, unknown>[]).map((w) => whereToCondition(t, w) ?? { and: [] });
      parts.push(key === "and" ? { and: list } : { or: list });
      continue;
    }
    const f = t.fields.find((x) => x.field === key)!;
    for (const op of OPS) {
      const v = (value as Record<string, unknown>)[op];
      if (v === undefined || v === null) continue;
      const converted = op === "isNull" ? v : Array.isArray(v) ? v.map((x) => toSql(f, x)) : toSql(f, v);
      parts.push({ column: f.column, op, value: converted });
    }
  }
  return { and: parts };
}

function rowToObject(t: TablePlan, row: Row): Record<string, unknown> {
  // Keep the raw row (for relations) under a symbol-free key the schema never exposes.
  return { __row: row, __table: t.table };
}

function groupedLoader(ctx: GqlContext, access: TableAccess, columns: string[], keyColumn: string) {
  const key = `${access.info.name}.${keyColumn}`;
  let loader = ctx.extLoaders.get(key) as DataLoader<Param, Row[]> | undefined;
  if (!loader) {
    loader = new DataLoader<Param, Row[]>((keys) => {
      const rows = access.rowsWhereIn(columns, keyColumn, keys as Param[]);
      const groups = new Map<unknown, Row[]>();
      for (const r of rows) {
        const k = r[keyColumn];
        groups.set(k, [...(groups.get(k) ?? []), r]);
      }
      return Promise.resolve(keys.map((k) => groups.get(k) ?? []));
    });
    ctx.extLoaders.set(key, loader);
  }
  return loader;
}

function encodeCursor(parts: unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

function decodeCursor(cursor: string): unknown[] {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v)) return v;
  } catch { /* reported below */ }
  throw new BdError("VALIDATION", "invalid cursor: pass an endCursor from the same query and ordering");
}

function resolversFor(beads: Beads, plan: Plan) {
  // deno-lint-ignore no-explicit-any
  const resolvers: Record<string, any> = { Query: {}, Mutation: {}, Issue: {} };
  const access = new Map(plan.tables.map((t) => [t.table, beads.tableAccess(t.info)]));
  const allColumns = (t: TablePlan) => t.info.columns.map((c) => c.name);
  const byTable = new Map(plan.tables.map((t) => [t.table, t]));
  const rowOf = (o: Record<string, unknown>) => o.__row as Row;

  for (const t of plan.tables) {
    const a = access.get(t.table)!;
    const cols = allColumns(t);
    const typeResolvers: Record<string, unknown> = {};
    for (const f of t.fields) typeResolvers[f.field] = (o: Record<string, unknown>) => toGraphql(f, rowOf(o)[f.column]);
    for (const r of t.forward) {
      typeResolvers[r.field] = async (o: Record<string, unknown>, _: unknown, ctx: GqlContext) => {
        const value = rowOf(o)[r.column];
        if (value === null || value === undefined) return null;
        if (r.targetType === "Issue") return ctx.loaders.issue.load(String(value));
        const target = byTable.get(r.targetTable)!;
        const rows = await groupedLoader(ctx, access.get(r.targetTable)!, allColumns(target), r.targetColumn).load(
          value as Param,
        );
        return rows[0] ? rowToObject(target, rows[0]) : null;
      };
    }
    resolvers[t.typeName] = typeResolvers;

    const pageOf = (args: Record<string, unknown>) => {
      const first = (args.first as number | undefined) ?? 50;
      if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) {
        throw new BdError(
          "VALIDATION",
          `first must be between 0 and ${MAX_PAGE} (got ${first}); page with cursors for more`,
        );
      }
      const orderArg = args.orderBy as { field: string; direction?: string } | undefined;
      const orderField = orderArg ? t.fields.find((f) => constantCase(f.field) === orderArg.field)! : t.pk;
      const desc = orderArg?.direction === "DESC";
      let after: { key: Param; pk: Param } | undefined;
      if (args.after) {
        const [field, dir, key, pk] = decodeCursor(String(args.after));
        if (field !== orderField.column || dir !== desc) {
          throw new BdError("VALIDATION", "invalid cursor: it belongs to a different ordering");
        }
        after = { key: key as Param, pk: pk as Param };
      }
      const where = whereToCondition(t, args.where as Record<string, unknown> | undefined);
      const rows = a.page(cols, where, { column: orderField.column, desc }, t.pk.column, after, first + 1);
      const page = rows.slice(0, first);
      const cursors = page.map((r) => encodeCursor([orderField.column, desc, r[orderField.column], r[t.pk.column]]));
      const nodes = page.map((r) => rowToObject(t, r));
      return {
        nodes,
        edges: nodes.map((node, i) => ({ node, cursor: cursors[i] })),
        totalCount: a.count(where),
        pageInfo: {
          hasNextPage: rows.length > first,
          hasPreviousPage: !!after,
          startCursor: cursors[0] ?? null,
          endCursor: cursors[cursors.length - 1] ?? null,
        },
      };
    };
    resolvers.Query[t.byPkName] = async (_: unknown, args: Record<string, unknown>, ctx: GqlContext) => {
      const rows = await groupedLoader(ctx, a, cols, t.pk.column).load(toSql(t.pk, args[t.pk.field]));
      return rows[0] ? rowToObject(t, rows[0]) : null;
    };
    resolvers.Query[t.listName] = (_: unknown, args: Record<string, unknown>) => pageOf(args);

    if (t.writable) {
      const values = (input: Record<string, unknown>) => {
        const out: Record<string, Param> = {};
        for (const f of t.fields) if (input[f.field] !== undefined) out[f.column] = toSql(f, input[f.field]);
        return out;
      };
      resolvers.Mutation[`insert${t.typeName}`] = (_: unknown, { input }: { input: Record<string, unknown> }) =>
        rowToObject(t, a.insert(values(input), cols));
      resolvers.Mutation[`update${t.typeName}`] = (_: unknown, args: Record<string, unknown>) => {
        const row = a.update(
          t.pk.column,
          toSql(t.pk, args[t.pk.field]),
          values(args.set as Record<string, unknown>),
          cols,
        );
        if (!row) throw new BdError("NOT_FOUND", `no ${t.table} row with ${t.pk.column} = ${args[t.pk.field]}`);
        return rowToObject(t, row);
      };
      resolvers.Mutation[`delete${t.typeName}`] = (_: unknown, args: Record<string, unknown>) => {
        const row = a.delete(t.pk.column, toSql(t.pk, args[t.pk.field]), cols);
        if (!row) throw new BdError("NOT_FOUND", `no ${t.table} row with ${t.pk.column} = ${args[t.pk.field]}`);
        return rowToObject(t, row);
      };
    }
  }
  for (const r of plan.reverse) {
    const from = byTable.get(r.fromTable)!;
    const target = r.onType === "Issue" ? undefined : plan.tables.find((t) => t.typeName === r.onType)!;
    const fn = async (parent: Record<string, unknown>, _: unknown, ctx: GqlContext) => {
      const key = target ? rowOf(parent)[r.keyColumn] : (parent as { id: string }).id;
      if (key === null || key === undefined) return [];
      const rows = await groupedLoader(ctx, access.get(r.fromTable)!, allColumns(from), r.fromColumn).load(
        key as Param,
      );
      return rows.map((row) => rowToObject(from, row));
    };
    const holder = target ? resolvers[target.typeName] : resolvers.Issue;
    holder[r.field] = fn;
  }
  if (Object.keys(resolvers.Mutation).length === 0) delete resolvers.Mutation;
  if (Object.keys(resolvers.Issue).length === 0) delete resolvers.Issue;
  return resolvers;
}

/** Builds the extension SDL and resolvers for the current config and database. */
export function buildExtensions(beads: Beads, config: LoadedConfig): ExtensionBuild {
  const plan = planExtensions(beads, config);
  const sdl = sdlFor(plan);
  return { sdl, resolvers: sdl ? resolversFor(beads, plan) : undefined, problems: plan.problems, plan };
}
