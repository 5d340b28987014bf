/** Read queries over issues: filters, list, ready, blocked, counts, search. */
import type { Db, Param } from "./db.ts";
import { BLOCKED_IDS_SQL, recountIssues } from "./schema.ts";
import { ISSUE_COLUMNS, labelsColumn, rowToIssue } from "./issues.ts";
import type { Issue, IssueFilter, ListSort, ReadySort } from "../model/types.ts";
import { customStatuses } from "./custom_statuses.ts";
import { DESCENDANTS_SQL, parentsOf, prefixChildJoin } from "./parent_rule.ts";
import { LEASE_NOW, leaseColumn, leaseLapsed } from "./leases.ts";
import { isCustomActive, isDone, isListedByDefault, isNotDone, isReadyStatus } from "./status_rules.ts";

/** An issue row's columns, with its lease's expiry (store/leases.ts) read beside it. */
const COLUMNS_I = `${ISSUE_COLUMNS.split(", ").map((c) => `i.${c}`).join(", ")}, ${leaseColumn("i")}`;
/** The issue's labels as a JSON array, read in the same statement (rowToIssue places them). */
const LABELS_I = labelsColumn("i");

/**
 * Returns the SQL that yields the blocked IDs: the cached set when it is current, else the
 * recursive rule itself (always correct, slower).
 */
export function blockedSource(db: Db): string {
  return cacheIsFresh(db) ? CACHED_BLOCKED_IDS : BLOCKED_IDS_SQL;
}

const CACHED_BLOCKED_IDS = "SELECT issue_id AS id FROM blocked_cache";

/** True when the blocked set's cache (and the counts kept with it) matches the graph. */
function cacheIsFresh(db: Db): boolean {
  return !!db.get<{ fresh: number }>(
    `SELECT (SELECT value FROM metadata WHERE key = 'graph_version') =
            (SELECT value FROM metadata WHERE key = 'blocked_cache_version') AS fresh`,
  )?.fresh;
}

/** Beyond this many seeds a full recompute is cheaper than walking their descendants. */
const INCREMENTAL_SEED_LIMIT = 2000;

/**
 * Brings the cached blocked set up to date if the graph changed since it was computed; call
 * inside a write transaction. Incremental when it can be: the triggers record in blocked_seeds
 * every issue whose blocked state a change may alter, so only those and their descendants are
 * recomputed (blockedAmongAffected); a rename, a never-built cache or a very large change (an
 * import) recomputes the whole set with the rule (BLOCKED_IDS_SQL), which stays the fallback and
 * the tests' oracle.
 */
export function refreshBlockedCache(db: Db, opts: { full?: boolean } = {}): void {
  const row = db.get<{ g: string; c: string }>(
    `SELECT (SELECT value FROM metadata WHERE key = 'graph_version') AS g,
            (SELECT value FROM metadata WHERE key = 'blocked_cache_version') AS c`,
  );
  if (!row || (row.g === row.c && !opts.full)) return;
  const seeds = Number(db.get<{ n: number }>("SELECT count(*) AS n FROM blocked_seeds")?.n ?? 0);
  if (opts.full || row.c === "-1" || row.c === "0" || seeds > INCREMENTAL_SEED_LIMIT) {
    db.run("DELETE FROM blocked_cache");
    db.run(`INSERT INTO blocked_cache (issue_id) ${BLOCKED_IDS_SQL}`);
    recountIssues(db, ["blocked"]);
  } else if (seeds > 0) refreshAffected(db);
  db.run("DELETE FROM blocked_seeds");
  db.run("UPDATE metadata SET value = ? WHERE key = 'blocked_cache_version'", row.g);
}

/**
 * Recomputes the blocked state of the seeds and their descendants (children by parent-child
 * edge or by hierarchical ID): only they can have changed. Issues outside that set keep their
 * cached state, which is what their descendants inside it read.
 */
function refreshAffected(db: Db): void {
  const affected = db.all<{ id: string }>(
    `WITH RECURSIVE affected(id) AS (
       SELECT issue_id FROM blocked_seeds
       UNION
       SELECT d.issue_id FROM affected a CROSS JOIN dependencies d ON d.depends_on_id = a.id AND d.type = 'parent-child'
       UNION
       SELECT c.id FROM affected a CROSS JOIN issues c ON c.id > a.id || '.' AND c.id < a.id || '/'
     ) SELECT id FROM affected`,
  ).map((r) => r.id);
  // The cache's counts by status (issue_counts, scope 'blocked') change by what changes here.
  const countAffected = (sign: number) =>
    db.run(
      `INSERT INTO issue_counts (scope, status, n)
       SELECT 'blocked', coalesce(i.status, ''), ${sign} * count(*) FROM json_each(?) a
       JOIN blocked_cache b ON b.issue_id = a.value JOIN issues i ON i.id = a.value
       GROUP BY coalesce(i.status, '')
       ON CONFLICT (scope, status) DO UPDATE SET n = n + excluded.n`,
      JSON.stringify(affected),
    );
  countAffected(-1);
  db.run("DELETE FROM blocked_cache WHERE issue_id IN (SELECT value FROM json_each(?))", JSON.stringify(affected));
  // Seeds may name issues that are gone (deleted): only existing issues can be blocked.
  const existing = db.all<{ id: string }>(
    "SELECT id FROM issues WHERE id IN (SELECT value FROM json_each(?))",
    JSON.stringify(affected),
  ).map((r) => r.id);
  affected.length = 0;
  affected.push(...existing);
  const ids = JSON.stringify(affected);
  const direct = new Set(
    db.all<{ id: string }>(
      `SELECT DISTINCT d.issue_id AS id FROM json_each(?) a
       CROSS JOIN dependencies d ON d.issue_id = a.value AND d.type = 'blocks'
       JOIN issues b ON b.id = d.depends_on_id AND ${isNotDone("b.status")}`,
      ids,
    ).map((r) => r.id),
  );
  // Parents of each affected issue by the parent rule: its parent-child edges, else its ID's prefix.
  const parents = new Map<string, string[]>(affected.map((id) => [id, []]));
  for (
    const r of db.all<{ issue_id: string; depends_on_id: string }>(
      `SELECT d.issue_id, d.depends_on_id FROM json_each(?) a
       CROSS JOIN dependencies d ON d.issue_id = a.value AND d.type = 'parent-child'`,
      ids,
    )
  ) parents.get(r.issue_id)!.push(r.depends_on_id);
  const byId = affected.filter((id) => parents.get(id)!.length === 0);
  for (const [id, parent] of parentsOf(db, byId)) parents.get(id)!.push(parent);
  const inside = new Set(affected);
  const outside = [...new Set([...parents.values()].flat().filter((p) => !inside.has(p)))];
  const blockedOutside = new Set(
    db.all<{ id: string }>(
      "SELECT issue_id AS id FROM blocked_cache WHERE issue_id IN (SELECT value FROM json_each(?))",
      JSON.stringify(outside),
    ).map((r) => r.id),
  );
  // Least fixed point over the affected set (parents inside it may be computed in any order).
  const blocked = new Set<string>(direct);
  for (let changed = true; changed;) {
    changed = false;
    for (const id of affected) {
      if (blocked.has(id)) continue;
      if (parents.get(id)!.some((p) => blocked.has(p) || blockedOutside.has(p))) {
        blocked.add(id);
        changed = true;
      }
    }
  }
  if (blocked.size) {
    db.run(
      "INSERT OR IGNORE INTO blocked_cache (issue_id) SELECT value FROM json_each(?)",
      JSON.stringify([...blocked]),
    );
  }
  countAffected(1);
}

/** Returns a WHERE clause (without the keyword) and its parameters for a filter on alias `i`. */
export function whereFor(filter: IssueFilter): { sql: string; params: Param[] } {
  const parts: string[] = [];
  const params: Param[] = [];
  const inList = (col: string, values: readonly (string | number)[]) => {
    parts.push(`${col} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(values));
  };
  if (filter.status?.length) inList("i.status", filter.status);
  else if (!filter.includeClosed) parts.push(isListedByDefault("i.status"));
  if (filter.priority?.length) inList("i.priority", filter.priority);
  if (filter.priorityMin !== undefined) (parts.push("i.priority >= ?"), params.push(filter.priorityMin));
  if (filter.priorityMax !== undefined) (parts.push("i.priority <= ?"), params.push(filter.priorityMax));
  if (filter.type?.length) inList("i.issue_type", filter.type);
  if (filter.assignee !== undefined) (parts.push("i.assignee = ?"), params.push(filter.assignee));
  if (filter.unassigned) parts.push("(i.assignee IS NULL OR i.assignee = '')");
  if (filter.ids?.length) inList("i.id", filter.ids);
  if (filter.titleContains) {
    parts.push("instr(lower(i.title), lower(?)) > 0");
    params.push(filter.titleContains);
  }
  if (filter.labels?.length) {
    const unique = [...new Set(filter.labels)];
    parts.push(
      "(SELECT count(*) FROM labels l WHERE l.issue_id = i.id AND l.label IN (SELECT value FROM json_each(?))) = ?",
    );
    params.push(JSON.stringify(unique), unique.length);
  }
  if (filter.labelsAny?.length) {
    parts.push(
      "EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = i.id AND l.label IN (SELECT value FROM json_each(?)))",
    );
    params.push(JSON.stringify(filter.labelsAny));
  }
  if (filter.excludeLabels?.length) {
    parts.push(
      "NOT EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = i.id AND l.label IN (SELECT value FROM json_each(?)))",
    );
    params.push(JSON.stringify(filter.excludeLabels));
  }
  if (filter.excludeTypes?.length) {
    parts.push("i.issue_type NOT IN (SELECT value FROM json_each(?))");
    params.push(JSON.stringify(filter.excludeTypes));
  }
  if (filter.noLabels) parts.push("NOT EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = i.id)");
  if (filter.overdue) {
    parts.push(
      `i.due_at IS NOT NULL AND i.due_at <> '' AND julianday(i.due_at) < julianday('now') AND ${isNotDone("i.status")}`,
    );
  }
  if (filter.deferred) parts.push("i.defer_until IS NOT NULL AND i.defer_until <> ''");
  if (filter.parent !== undefined) {
    parts.push(`i.id IN (${DESCENDANTS_SQL}) AND i.id <> ?`);
    params.push(filter.parent, filter.parent);
  }
  const range = (col: string, op: string, value?: string) => {
    if (value === undefined) return;
    parts.push(`julianday(${col}) ${op} julianday(?)`);
    params.push(value);
  };
  range("i.created_at", ">=", filter.createdAfter);
  range("i.created_at", "<=", filter.createdBefore);
  range("i.updated_at", ">=", filter.updatedAfter);
  range("i.updated_at", "<=", filter.updatedBefore);
  range("i.closed_at", ">=", filter.closedAfter);
  range("i.closed_at", "<=", filter.closedBefore);
  range("nullif(i.due_at, '')", ">=", filter.dueAfter);
  range("nullif(i.due_at, '')", "<=", filter.dueBefore);
  range("nullif(i.defer_until, '')", ">=", filter.deferAfter);
  range("nullif(i.defer_until, '')", "<=", filter.deferBefore);
  return { sql: parts.length ? parts.join(" AND ") : "1", params };
}

const LIST_ORDER: Record<ListSort, string> = {
  priority: "i.priority ASC, julianday(i.created_at) DESC, i.id",
  created: "julianday(i.created_at) DESC, i.id",
  updated: "julianday(i.updated_at) DESC, i.id",
  id: "i.id",
  title: "i.title COLLATE NOCASE, i.id",
  status: "i.status, i.priority, i.id",
};

/** Returns issues matching the filter in the given order (limit 0 = all). */
export function listIssues(
  db: Db,
  filter: IssueFilter,
  opts: { sort?: ListSort; reverse?: boolean; limit?: number; offset?: number } = {},
): Issue[] {
  const where = whereFor(filter);
  let order = LIST_ORDER[opts.sort ?? "priority"];
  if (opts.reverse) order = order.split(", ").map(flipOrder).join(", ");
  const limit = opts.limit && opts.limit > 0 ? opts.limit : -1;
  // The default listing (not closed, by priority then newest) walks its partial index and stops
  // at the limit; other filters and orders leave the choice to the planner.
  const walk = !filter.status?.length && !filter.includeClosed && (opts.sort ?? "priority") === "priority" &&
    !opts.reverse;
  return db.all(
    `SELECT ${COLUMNS_I} FROM issues i ${walk ? "INDEXED BY idx_issues_active_priority" : ""}
     WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
    ...where.params,
    limit,
    opts.offset ?? 0,
  ).map(rowToIssue);
}

function flipOrder(term: string): string {
  if (term.endsWith(" DESC")) return term.slice(0, -5) + " ASC";
  if (term.endsWith(" ASC")) return term.slice(0, -4) + " DESC";
  return term + " DESC";
}

/** Returns the number of issues matching the filter. */
export function countIssues(db: Db, filter: IssueFilter): number {
  if (filtersOnlyStatus(filter)) {
    // By status alone (bd count, bd count --status X): the counts the triggers keep.
    const row = filter.status?.length
      ? db.get<{ n: number }>(
        "SELECT sum(n) AS n FROM issue_counts WHERE scope = 'all' AND status IN (SELECT value FROM json_each(?))",
        JSON.stringify(filter.status),
      )
      : filter.includeClosed
      ? db.get<{ n: number }>("SELECT sum(n) AS n FROM issue_counts WHERE scope = 'all'")
      : db.get<{ n: number }>(
        `SELECT sum(n) AS n FROM issue_counts WHERE scope = 'all' AND ${isListedByDefault("status")}`,
      );
    return Number(row?.n ?? 0);
  }
  const where = whereFor(filter);
  return Number(db.get<{ n: number }>(`SELECT count(*) AS n FROM issues i WHERE ${where.sql}`, ...where.params)?.n);
}

/** True when a filter says nothing but which statuses to count. */
function filtersOnlyStatus(filter: IssueFilter): boolean {
  return Object.entries(filter).every(([key, value]) =>
    key === "status" || key === "includeClosed" || value === undefined || value === false ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** Returns counts of matching issues grouped by a column (status, priority, issue_type, assignee) or label. */
export function countGrouped(
  db: Db,
  filter: IssueFilter,
  by: "status" | "priority" | "issue_type" | "assignee" | "label",
): { key: string; count: number }[] {
  const where = whereFor(filter);
  const sql = by === "label"
    ? `SELECT l.label AS key, count(*) AS count FROM issues i JOIN labels l ON l.issue_id = i.id
       WHERE ${where.sql} GROUP BY l.label ORDER BY l.label`
    : `SELECT coalesce(i.${by}, '') AS key, count(*) AS count FROM issues i WHERE ${where.sql}
       GROUP BY 1 ORDER BY 1`;
  return db.all<{ key: string | number; count: number }>(sql, ...where.params)
    .map((r) => ({ key: String(r.key), count: Number(r.count) }));
}

const NOT_DEFERRED_LATER =
  "(i.defer_until IS NULL OR i.defer_until = '' OR julianday(i.defer_until) <= julianday('now'))";
const NOT_BLOCKED = "NOT EXISTS (SELECT 1 FROM blocked_ids b WHERE b.id = i.id)";

/**
 * The ready rule (contract §6): open (or a custom `active` status), or claimed under a lease that
 * has lapsed (contract §10: ready again for anyone); not blocked, not deferred into the future.
 */
export const READY_WHERE = `(${isReadyStatus("i.status")} OR ${
  leaseLapsed("i")
}) AND ${NOT_DEFERRED_LATER} AND ${NOT_BLOCKED}`;

/**
 * What ready needs to know before it walks, in one statement: whether the blocked set's cache is
 * current, whether some custom status is `active` and whether some claim's lease lapsed (ready
 * then looks beyond the index of open issues), and whether an open issue was created since
 * `recentSince` (hybrid's first walk finds nothing without one).
 */
function readyState(
  db: Db,
  recentSince?: string,
): { fresh: boolean; customActive: boolean; lapsed: boolean; recent: boolean } {
  const recent = recentSince === undefined ? "0" : `EXISTS (SELECT 1 FROM issues INDEXED BY idx_issues_open_created
    WHERE status = 'open' AND julianday(created_at) >= julianday(?))`;
  const row = db.get<{ fresh: number; active: number; lapsed: number; recent: number }>(
    `SELECT (SELECT value FROM metadata WHERE key = 'graph_version') =
            (SELECT value FROM metadata WHERE key = 'blocked_cache_version') AS fresh,
            EXISTS (SELECT 1 FROM custom_statuses WHERE category = 'active') AS active,
            EXISTS (SELECT 1 FROM claim_leases WHERE expires_at <= ${LEASE_NOW}) AS lapsed,
            ${recent} AS recent`,
    ...(recentSince === undefined ? [] : [recentSince]),
  );
  return { fresh: !!row?.fresh, customActive: !!row?.active, lapsed: !!row?.lapsed, recent: !!row?.recent };
}

/** Claimed issues whose lease has lapsed, by the lease index (few): ready's extra walk. */
const LAPSED_CLAIMS = `SELECT i.* FROM claim_leases l CROSS JOIN issues i ON i.id = l.issue_id
  WHERE l.expires_at <= ${LEASE_NOW} AND i.status = 'in_progress'`;

/**
 * Returns ready issues matching the filter, ordered by `sort` (limit 0 = all). Each ordering
 * walks a partial index over open issues and stops at the limit (INDEXED BY: without statistics
 * the planner would sort every open issue). `hybrid` = issues created in the last 48 hours by
 * priority, then older ones oldest first — two walks with one shared cut-off instant.
 */
export function readyIssues(
  db: Db,
  filter: IssueFilter,
  sort: ReadySort,
  limit: number,
  opts: { includeDeferred?: boolean; labels?: boolean } = {},
): Issue[] {
  const rule = opts.includeDeferred ? NOT_BLOCKED : `${NOT_DEFERRED_LATER} AND ${NOT_BLOCKED}`;
  const columns = opts.labels ? `${COLUMNS_I}, ${LABELS_I}` : COLUMNS_I;
  const where = whereFor({ ...filter, status: undefined, includeClosed: true });
  // Hybrid's cut-off: issues created in the last 48 hours come first.
  const cutoff = new Date(Date.now() - 2 * 86400e3).toISOString();
  const { fresh, customActive, lapsed, recent: anyRecent } = readyState(db, cutoff);
  const blocked = fresh ? CACHED_BLOCKED_IDS : BLOCKED_IDS_SQL;
  const max = limit > 0 ? limit : -1;
  const walk = (index: string, extra: string, order: string, params: Param[], n: number) => {
    const open = `SELECT ${columns} FROM issues i INDEXED BY ${index}
       WHERE i.status = 'open' AND ${rule} AND ${where.sql}${extra} ORDER BY ${order} LIMIT ?`;
    const args = [...where.params, ...params, n];
    // Issues in custom active statuses, and claims whose lease lapsed, are ready too: a walk over
    // each (by the status index, by the lease index), merged with the first in the same order.
    const more = [
      ...(customActive ? [`SELECT ${columns} FROM issues i WHERE ${isCustomActive("i.status")}`] : []),
      ...(lapsed ? [`SELECT ${columns} FROM (${LAPSED_CLAIMS}) i WHERE 1`] : []),
    ].map((from) => `${from} AND ${rule} AND ${where.sql}${extra} ORDER BY ${order} LIMIT ?`);
    if (!more.length) return db.all(`WITH blocked_ids AS (${blocked}) ${open}`, ...args).map(rowToIssue);
    return db.all(
      `WITH blocked_ids AS (${blocked})
       SELECT * FROM (${[open, ...more].map((q) => `SELECT * FROM (${q})`).join(" UNION ALL ")}) i
       ORDER BY ${order} LIMIT ?`,
      ...[open, ...more].flatMap(() => args),
      n,
    ).map(rowToIssue);
  };
  const byAge = "julianday(i.created_at), i.id";
  if (sort === "priority") return walk("idx_issues_open_priority", "", `i.priority, ${byAge}`, [], max);
  if (sort === "oldest") return walk("idx_issues_open_created", "", byAge, [], max);
  // No open issue created since the cut-off (and no other walk): the first walk would find nothing.
  const recent = !anyRecent && !customActive && !lapsed ? [] : walk(
    "idx_issues_open_created",
    " AND julianday(i.created_at) >= julianday(?)",
    `i.priority, ${byAge}`,
    [cutoff],
    max,
  );
  if (limit > 0 && recent.length >= limit) return recent;
  const older = walk(
    "idx_issues_open_created",
    " AND julianday(i.created_at) < julianday(?)",
    byAge,
    [cutoff],
    limit > 0 ? limit - recent.length : -1,
  );
  return [...recent, ...older];
}

/**
 * Returns the number of ready issues: the open issues that are not blocked, counted over the
 * covering index of open issues, less those among them whose defer time is still ahead (a
 * partial index holds only the open issues that have one); plus, counted directly, those in
 * custom active statuses. Same rule as READY_WHERE.
 */
export function countReady(db: Db): number {
  const { fresh, customActive, lapsed } = readyState(db);
  const source = fresh ? CACHED_BLOCKED_IDS : BLOCKED_IDS_SQL;
  // Open issues deferred into the future that are not blocked: a small partial index.
  const deferredLater = `SELECT count(*) FROM issues i INDEXED BY idx_issues_open_defer
    WHERE i.status = 'open' AND i.defer_until IS NOT NULL AND i.defer_until <> ''
      AND (julianday(i.defer_until) <= julianday('now')) IS NOT 1
      AND NOT EXISTS (SELECT 1 FROM blocked_ids b WHERE b.id = i.id)`;
  const customReady = `SELECT ${
    customActive
      ? `(SELECT count(*) FROM issues i WHERE ${
        isCustomActive("i.status")
      } AND ${NOT_DEFERRED_LATER} AND ${NOT_BLOCKED})`
      : "0"
  } + ${lapsed ? `(SELECT count(*) FROM (${LAPSED_CLAIMS}) i WHERE ${NOT_DEFERRED_LATER} AND ${NOT_BLOCKED})` : "0"}`;
  if (fresh) {
    // Open minus open-and-blocked, both kept counted; then the deferred ones.
    const row = db.get<{ open: number; blocked: number; later: number; custom: number }>(
      `WITH blocked_ids AS (${source})
       SELECT (SELECT n FROM issue_counts WHERE scope = 'all' AND status = 'open') AS open,
              (SELECT n FROM issue_counts WHERE scope = 'blocked' AND status = 'open') AS blocked,
              (${deferredLater}) AS later, (${customReady}) AS custom`,
    );
    return Number(row?.open ?? 0) - Number(row?.blocked ?? 0) - Number(row?.later ?? 0) + Number(row?.custom ?? 0);
  }
  return Number(
    db.get<{ n: number }>(
      `WITH blocked_ids AS (${source})
       SELECT (SELECT count(*) FROM issues i INDEXED BY idx_issues_open_created
               WHERE i.status = 'open' AND NOT EXISTS (SELECT 1 FROM blocked_ids b WHERE b.id = i.id))
            - (${deferredLater}) + (${customReady}) AS n`,
    )?.n,
  );
}

/** Returns true if this issue is blocked (directly or through a parent). */
export function isBlocked(db: Db, id: string): boolean {
  return db.get(`WITH blocked_ids AS (${blockedSource(db)}) SELECT 1 AS x FROM blocked_ids WHERE id = ?`, id) !==
    undefined;
}

/** Returns the IDs among `ids` that are blocked. */
export function blockedAmong(db: Db, ids: readonly string[]): Set<string> {
  if (ids.length === 0) return new Set();
  return new Set(
    db.all<{ id: string }>(
      `WITH blocked_ids AS (${blockedSource(db)})
       SELECT id FROM blocked_ids WHERE id IN (SELECT value FROM json_each(?))`,
      JSON.stringify(ids),
    ).map((r) => r.id),
  );
}

/** Returns active blocked issues (optionally under a parent) with the IDs of their open blockers. */
export function blockedIssues(
  db: Db,
  filter: IssueFilter,
): { issue: Issue; blockedBy: string[] }[] {
  const where = whereFor(filter);
  const rows = db.all(
    `WITH blocked_ids AS (${blockedSource(db)})
     SELECT ${COLUMNS_I}, (
       SELECT json_group_array(d.depends_on_id) FROM dependencies d
       JOIN issues b INDEXED BY idx_issues_id_status ON b.id = d.depends_on_id
       WHERE d.issue_id = i.id AND d.type = 'blocks' AND ${isNotDone("b.status")}
     ) AS blockers
     FROM issues i
     WHERE ${isNotDone("i.status")} AND i.id IN (SELECT id FROM blocked_ids) AND ${where.sql}
     ORDER BY i.priority, julianday(i.created_at), i.id`,
    ...where.params,
  );
  return rows.map((row) => ({
    issue: rowToIssue(row),
    blockedBy: (JSON.parse(String(row.blockers ?? "[]")) as string[]).sort(),
  }));
}

/** Returns issues whose text (id, title, description, notes...) contains the query. */
export function searchIssues(db: Db, query: string, filter: IssueFilter, limit: number): Issue[] {
  const where = whereFor(filter);
  return db.all(
    `SELECT ${COLUMNS_I} FROM issues i
     WHERE (instr(lower(i.title), lower(?1)) > 0 OR instr(lower(i.description), lower(?1)) > 0
        OR instr(lower(i.id), lower(?1)) > 0 OR instr(lower(i.notes), lower(?1)) > 0
        OR instr(lower(i.design), lower(?1)) > 0 OR instr(lower(i.acceptance_criteria), lower(?1)) > 0
        OR instr(lower(coalesce(i.external_ref, '')), lower(?1)) > 0)
       AND ${where.sql}
     ORDER BY i.priority, julianday(i.updated_at) DESC, i.id LIMIT ?`,
    query,
    ...where.params,
    limit > 0 ? limit : -1,
  ).map(rowToIssue);
}

/** Issue counts by status: all issues, and those in the blocked set's cache (see schema.ts). */
function issueCounts(db: Db): { all: Map<string, number>; blocked: Map<string, number> } {
  const all = new Map<string, number>(), blocked = new Map<string, number>();
  for (
    const r of db.all<{ scope: string; status: string; n: number }>(
      "SELECT scope, status, n FROM issue_counts WHERE scope IN ('all', 'blocked')",
    )
  ) (r.scope === "all" ? all : blocked).set(r.status, Number(r.n));
  return { all, blocked };
}

/**
 * Returns the stats counters (contract §3) without reading every issue: statuses and the blocked
 * set's statuses from the counts kept by triggers and by the cache's refresh, the lead time from
 * the partial index of closed issues. Without a current cache (another program changed the graph
 * since bd's last write) the blocked count is computed from the rule over the active issues.
 */
export function statsCounters(db: Db): Record<string, number> {
  const fresh = cacheIsFresh(db);
  const { all, blocked: inCache } = issueCounts(db);
  const count = (s: string) => all.get(s) ?? 0;
  let blocked: number;
  if (fresh) {
    // Active issues in the blocked set, plus those marked blocked that the set does not hold.
    let activeInCache = 0;
    const done = new Set(["closed", ...customStatuses(db).filter((s) => s.category === "done").map((s) => s.name)]);
    for (const [status, n] of inCache) if (!done.has(status)) activeInCache += n;
    blocked = activeInCache + count("blocked") - (inCache.get("blocked") ?? 0);
  } else {
    blocked = Number(
      db.get<{ n: number }>(
        `WITH blocked_ids AS (${BLOCKED_IDS_SQL})
         SELECT (SELECT count(*) FROM issues i INDEXED BY idx_issues_active_priority_id
                 WHERE ${isNotDone("i.status")} AND EXISTS (SELECT 1 FROM blocked_ids b WHERE b.id = i.id))
              + (SELECT count(*) FROM issues i WHERE i.status = 'blocked'
                 AND NOT EXISTS (SELECT 1 FROM blocked_ids b WHERE b.id = i.id)) AS n`,
      )?.n,
    );
  }
  const lead = db.get<{ lead: number | null }>(
    `SELECT avg(julianday(closed_at) - julianday(created_at)) AS lead FROM issues INDEXED BY idx_issues_closed_lead
     WHERE status = 'closed' AND closed_at IS NOT NULL`,
  )?.lead;
  return {
    total_issues: [...all.values()].reduce((a, b) => a + b, 0),
    open_issues: count("open"),
    in_progress_issues: count("in_progress"),
    closed_issues: count("closed"),
    deferred_issues: count("deferred"),
    blocked_issues: blocked,
    average_lead_time_hours: Math.round(Number(lead ?? 0) * 24 * 100) / 100,
  };
}

/** Returns active issues not updated since `before` (oldest first). */
export function staleIssues(db: Db, before: string, filter: IssueFilter, limit: number): Issue[] {
  const where = whereFor(filter);
  return db.all(
    `SELECT ${COLUMNS_I} FROM issues i WHERE julianday(i.updated_at) < julianday(?) AND ${where.sql}
     ORDER BY julianday(i.updated_at), i.id LIMIT ?`,
    before,
    ...where.params,
    limit > 0 ? limit : -1,
  ).map(rowToIssue);
}

/** Returns the IDs of all descendants of `parent` (not including it). */
export function descendantIds(db: Db, parent: string): string[] {
  return db.all<{ id: string }>(`${DESCENDANTS_SQL} WHERE id <> ?`, parent, parent).map((r) => r.id);
}

/** Returns epics (open unless `all`) with their direct children's totals. */
export function epicChildCounts(db: Db): { id: string; total: number; closed: number }[] {
  return db.all<{ id: string; total: number; closed: number }>(
    `WITH epic(id, priority) AS (
       SELECT id, priority FROM issues WHERE issue_type = 'epic' AND ${isNotDone("status")}
     ), child(epic, id) AS (
       SELECT p.id, d.issue_id FROM epic p
       CROSS JOIN dependencies d ON d.depends_on_id = p.id AND d.type = 'parent-child'
       UNION
       SELECT p.id, c.id FROM epic p ${prefixChildJoin("p")}
     )
     SELECT e.id AS id, count(c.id) AS total, coalesce(sum(${isDone("c.status")}), 0) AS closed
     FROM epic e LEFT JOIN child x ON x.epic = e.id LEFT JOIN issues c ON c.id = x.id
     GROUP BY e.id ORDER BY e.priority, e.id`,
  ).map((r) => ({ id: r.id, total: Number(r.total), closed: Number(r.closed) }));
}

/** Returns the IDs among `ids` that are ready (the same rule as readyIssues). */
export function readyAmong(db: Db, ids: readonly string[]): Set<string> {
  if (ids.length === 0) return new Set();
  return new Set(
    db.all<{ id: string }>(
      `WITH blocked_ids AS (${blockedSource(db)})
       SELECT i.id AS id FROM issues i WHERE i.id IN (SELECT value FROM json_each(?)) AND ${READY_WHERE}`,
      JSON.stringify(ids),
    ).map((r) => r.id),
  );
}

export type PageField = "priority" | "created_at" | "updated_at" | "id" | "title";

const PAGE_KEY: Record<PageField, string> = {
  priority: "i.priority",
  created_at: "julianday(i.created_at)",
  updated_at: "julianday(i.updated_at)",
  id: "i.id",
  title: "i.title",
};

/**
 * Returns one page of issues in keyset order (sort key, then ID), each with its sort key, so that
 * items created between pages are neither skipped nor repeated.
 */
export function listIssuesPage(
  db: Db,
  filter: IssueFilter,
  order: { field: PageField; desc: boolean },
  after: { key: string | number; id: string } | undefined,
  limit: number,
): { issue: Issue; key: string | number }[] {
  const where = whereFor(filter);
  const key = PAGE_KEY[order.field];
  const op = order.desc ? "<" : ">";
  const dir = order.desc ? "DESC" : "ASC";
  const params: Param[] = [...where.params];
  let keyset = "";
  if (after) {
    keyset = order.field === "id" ? ` AND i.id ${op} ?` : ` AND (${key} ${op} ? OR (${key} = ? AND i.id ${op} ?))`;
    params.push(...(order.field === "id" ? [after.id] : [after.key, after.key, after.id]));
  }
  params.push(limit);
  // The default page (active issues by priority) walks its partial index from the cursor.
  const walk = order.field === "priority" && !filter.status?.length && !filter.includeClosed;
  return db.all(
    `SELECT ${COLUMNS_I}, ${key} AS sort_key FROM issues i ${walk ? "INDEXED BY idx_issues_active_priority_id" : ""}
     WHERE ${where.sql}${keyset} ORDER BY ${key} ${dir}, i.id ${dir} LIMIT ?`,
    ...params,
  ).map((row) => ({ issue: rowToIssue(row), key: row.sort_key as string | number }));
}

/** IDs of deferred issues whose `defer_until` has passed (a walk of a small partial index). */
export function dueDeferredIds(db: Db, now: string): string[] {
  return db.all<{ id: string }>(
    `SELECT id FROM issues INDEXED BY idx_issues_deferred_until
     WHERE status = 'deferred' AND defer_until IS NOT NULL AND defer_until <> ''
       AND julianday(defer_until) <= julianday(?) ORDER BY id`,
    now,
  ).map((r) => r.id);
}
