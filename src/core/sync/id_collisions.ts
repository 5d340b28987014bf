/**
 * Two different issues under one ID, found before the merge rule runs.
 *
 * Hash IDs are short (a 3-character ID is 2 bytes of digest), children are numbered per parent
 * and sequential IDs count up: two clones that create issues offline can mint the same ID for
 * two different issues. Matched by ID alone, the merge rule would take them for one issue edited
 * on both sides and keep one. An issue is therefore identified by its ID *and* its `created_at`
 * (bd never changes `created_at`): two records under one ID with different creation times are
 * two issues.
 *
 * `separateIssues` rewrites the three parsed versions so that every ID names one issue:
 * - added on both sides (not in the base) as two issues: the one created first keeps the ID, the
 *   other moves to a replacement ID (`replacementId`), with its children added on that side and
 *   every reference to it on that side (dependencies, comments);
 * - an ID that one side already moved (that side merged such a collision earlier and now holds a
 *   newcomer under the base's ID, and the base's issue under a new ID): the base and the other
 *   side follow the move, so the other side's edits land on the moved issue (a record whose
 *   creation time changed with no trace of the base's issue elsewhere is left to the rule);
 * - anything else is left to the merge rule.
 * The choice depends on content only, never on which side is "ours", so the merge stays
 * symmetric.
 */
import { replacementId } from "../../model/hash_id.ts";
import { toMillis } from "../../model/time.ts";
import { type Entry, ISSUE } from "./jsonl_records.ts";

type Obj = Record<string, unknown>;

type Records = Map<string, Entry>;

/** One ID moved on one version of the file. */
export interface IdMove {
  side: "base" | "left" | "right";
  from: string;
  to: string;
}

/** What identity is read from: the creation time (a tombstone line keeps its issue's), the title. */
type Dated = { readonly created_at?: unknown; readonly title?: unknown };

/** When the record's issue was created (ms), or undefined when it says nothing usable. */
function createdMs(o: Dated): number | undefined {
  if (typeof o.created_at !== "string") return undefined;
  const t = toMillis(o.created_at);
  return t === 0 ? undefined : t;
}

/** True when two records under one ID are two different issues. */
export function differentIssues(a: Dated, b: Dated): boolean {
  if (a.created_at === b.created_at) return false;
  const ta = createdMs(a), tb = createdMs(b);
  if (ta === undefined || tb === undefined || ta === tb) return false;
  // One time written without its zone and read as UTC moves by whole quarter hours: with the same
  // title that is one issue whose timestamp two writers spelled differently, not two issues.
  const apart = Math.abs(ta - tb);
  return !(a.title === b.title && apart % 900_000 === 0 && apart <= 14 * 3_600_000);
}

const idOf = (key: string) => key.slice(1);

/** Applies `moves` (old ID → new ID) to one version of the file: the issues and every reference. */
function moveIds(records: Records, moves: Map<string, string>): void {
  if (!moves.size) return;
  const target = (id: unknown) => (typeof id === "string" ? moves.get(id) : undefined);
  const refersToMoved = (list: unknown) =>
    Array.isArray(list) &&
    list.some((item) => item && typeof item === "object" && (target(item.issue_id) || target(item.depends_on_id)));
  const rewritten: Entry[] = [];
  for (const [key, e] of records) {
    if (key[0] !== ISSUE) continue;
    const to = target(e.obj.id);
    if (!to && !refersToMoved(e.obj.dependencies) && !refersToMoved(e.obj.comments)) continue;
    const obj: Obj = { ...e.obj };
    if (to) obj.id = to;
    for (const field of ["dependencies", "comments"]) {
      const list = obj[field];
      if (!Array.isArray(list)) continue;
      obj[field] = list.map((item) => {
        if (!item || typeof item !== "object") return item;
        const o = item as Obj;
        const issue = target(o.issue_id), dependsOn = target(o.depends_on_id);
        return issue || dependsOn
          ? { ...o, ...(issue ? { issue_id: issue } : {}), ...(dependsOn ? { depends_on_id: dependsOn } : {}) }
          : item;
      });
    }
    if (to) records.delete(key);
    rewritten.push({ key: ISSUE + obj.id, obj, line: JSON.stringify(obj) });
  }
  for (const e of rewritten) records.set(e.key, e);
}

/** The moves for `id` → `to` plus the descendants `id.x` → `to.x` that `records` holds. */
function withDescendants(records: Records, id: string, to: string, only?: (key: string) => boolean) {
  const moves = new Map([[id, to]]);
  const stem = ISSUE + id + ".";
  for (const key of records.keys()) {
    if (key.startsWith(stem) && (!only || only(key))) moves.set(idOf(key), to + idOf(key).slice(id.length));
  }
  return moves;
}

/** Rewrites base, left and right so that each ID names one issue; returns the moves made. */
export function separateIssues(base: Records, left: Records, right: Records): IdMove[] {
  const made: IdMove[] = [];
  const taken = new Set<string>();
  for (const m of [base, left, right]) for (const k of m.keys()) if (k[0] === ISSUE) taken.add(idOf(k));
  const sides = [["left", left, right], ["right", right, left]] as const;

  // 1. A side that moved the base's issue away from its ID: the base and the other side follow.
  for (const [name, side, other] of sides) {
    const otherMoves = new Map<string, string>(), baseMoves = new Map<string, string>();
    for (const [key, se] of side) {
      const be = base.get(key);
      if (key[0] !== ISSUE || !be || !differentIssues(be.obj, se.obj)) continue;
      const home = findMoved(side, base, be.obj, key);
      const id = idOf(key);
      // No trace of where the base's issue went: not a move; the merge rule decides.
      if (home === undefined) continue;
      const otherRecord = other.get(key);
      if (other.has(ISSUE + home) || (otherRecord && differentIssues(be.obj, otherRecord.obj))) continue;
      const follow = (m: Records, into: Map<string, string>) => {
        for (const [from, to] of withDescendants(m, id, home, (k) => hasMoved(side, m, k))) into.set(from, to);
      };
      follow(other, otherMoves);
      follow(base, baseMoves);
      made.push({ side: name === "left" ? "right" : "left", from: id, to: home }, { side: "base", from: id, to: home });
    }
    moveIds(other, otherMoves);
    moveIds(base, baseMoves);
  }

  // 2. Added on both sides as two different issues: the later-created one moves.
  const moves = { left: new Map<string, string>(), right: new Map<string, string>() };
  for (const [key, le] of left) {
    const re = right.get(key);
    if (key[0] !== ISSUE || base.has(key) || !re || !differentIssues(le.obj, re.obj)) continue;
    const name = createdMs(le.obj)! > createdMs(re.obj)! ? "left" : "right";
    const side = name === "left" ? left : right;
    const id = idOf(key);
    if (moves[name].has(id)) continue; // already moving as a descendant of a moved parent
    const to = replacementId(id, fieldsOf(side.get(key)!.obj), taken);
    taken.add(to);
    for (const [from, into] of withDescendants(side, id, to, (k) => !base.has(k))) moves[name].set(from, into);
    made.push({ side: name, from: id, to });
  }
  moveIds(left, moves.left);
  moveIds(right, moves.right);
  return made;
}

/** The ID under which `side` now holds the base's issue `was` (moved from `key`), if any. */
function findMoved(side: Records, base: Records, was: Obj, key: string): string | undefined {
  const at = createdMs(was);
  for (const [k, e] of side) {
    if (k === key || k[0] !== ISSUE || base.has(k)) continue;
    if (createdMs(e.obj) === at && e.obj.title === was.title) return idOf(k);
  }
  return undefined;
}

/** True when `side` no longer holds the issue that `records` has at `key` there (it moved it). */
function hasMoved(side: Records, records: Records, key: string): boolean {
  const e = records.get(key);
  const s = side.get(key);
  return !!e && (!s || differentIssues(e.obj, s.obj));
}

function fieldsOf(o: Obj) {
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    title: str(o.title),
    description: str(o.description),
    actor: str(o.created_by),
    createdAt: str(o.created_at),
  };
}

// ---------------------------------------------------------------- import

/** What an import needs to know of one issue, incoming or local. */
export interface IssueIdentity {
  id: string;
  title: string;
  created_at: string;
  description?: string;
  created_by?: string;
}

/** The moves an import makes before it upserts: local issues to follow, incoming ones to place. */
export interface ImportMoves {
  /** Local issue → the ID the file moved it to (the file holds a different issue at its ID). */
  local: Map<string, string>;
  /** Incoming issue → a new ID (a different local issue holds its ID, and the file has no
   * trace of the local one): imported beside it rather than over it. */
  incoming: Map<string, string>;
}

/**
 * Plans how an import keeps two different issues under one ID apart. `local(id)` reads a local
 * issue, `localIdsUnder(stem)` lists local IDs starting with `stem`, `localIdsOf(issue)` the
 * local IDs of issues with the same creation time and title, `allLocalIds()` every local ID
 * (called only when a new ID must be chosen).
 */
export function planImportMoves(
  incoming: readonly IssueIdentity[],
  local: (id: string) => IssueIdentity | undefined,
  localIdsUnder: (stem: string) => string[],
  localIdsOf: (issue: IssueIdentity) => string[],
  allLocalIds: () => Iterable<string>,
): ImportMoves {
  const moves: ImportMoves = { local: new Map(), incoming: new Map() };
  let byCreated: Map<number, IssueIdentity[]> | undefined;
  let taken: Set<string> | undefined;
  let byId: Map<string, IssueIdentity> | undefined;
  for (const r of incoming) {
    const here = local(r.id);
    if (!here || moves.local.has(r.id) || !differentIssues(here, r)) continue;
    byCreated ??= groupByCreated(incoming);
    const twin = byCreated.get(createdMs(here)!)?.find((t) => t.id !== r.id && t.title === here.title && !local(t.id));
    if (twin) {
      // The file moved the local issue (a merge elsewhere did): follow it, children too.
      moves.local.set(r.id, twin.id);
      for (const child of localIdsUnder(r.id + ".")) {
        const to = twin.id + child.slice(r.id.length);
        byId ??= new Map(incoming.map((t) => [t.id, t]));
        const mine = local(child), theirs = byId.get(to);
        if (mine && theirs && !differentIssues(mine, theirs)) moves.local.set(child, to);
      }
      continue;
    }
    // Imported before under another ID (the same file again): it lands there again.
    const already = localIdsOf(r).find((id) => id !== r.id);
    if (already) {
      moves.incoming.set(r.id, already);
      continue;
    }
    taken ??= new Set([...allLocalIds(), ...incoming.map((t) => t.id)]);
    const to = replacementId(r.id, {
      title: r.title,
      description: r.description ?? "",
      actor: r.created_by ?? "",
      createdAt: r.created_at,
    }, taken);
    taken.add(to);
    moves.incoming.set(r.id, to);
  }
  return moves;
}

function groupByCreated(issues: readonly IssueIdentity[]): Map<number, IssueIdentity[]> {
  const out = new Map<number, IssueIdentity[]>();
  for (const i of issues) {
    const t = createdMs(i);
    if (t === undefined) continue;
    const list = out.get(t);
    if (list) list.push(i);
    else out.set(t, [i]);
  }
  return out;
}
