/** Dependencies and the graph: adding (refusing self-edges and cycles), removing, listing, trees, cycles. */
import * as issuesRepo from "../store/issues.ts";
import * as rel from "../store/relations.ts";
import { BdError, notFound, validation } from "../model/errors.ts";
import { nowIso } from "../model/time.ts";
import { checkDependencyType } from "../model/validate.ts";
import type { Dependency, Issue } from "../model/types.ts";
import { findCycles } from "./graph.ts";
import type { BeadsContext } from "./context.ts";
import type { TreeNode } from "./types.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<
  BeadsContext,
  "actor" | "addDependency" | "db" | "event" | "issue" | "mutate" | "removeDependency" | "resolveId" | "touch"
>;

/** A dependency as `create --deps` and MCP's `create` spell it: `ID` (blocks) or `TYPE:ID`. */
export function parseDepSpec(spec: string): { id: string; type: string } {
  const at = spec.indexOf(":");
  return at > 0 ? { type: spec.slice(0, at), id: spec.slice(at + 1) } : { type: "blocks", id: spec };
}

/** Adds (or retypes) the edge: `from` depends on `to`. Refuses self-edges and cycles. */
export function addDependency(beads: Ctx, fromInput: string, toInput: string, type = "blocks"): Dependency {
  return beads.mutate(() => {
    const from = beads.resolveId(fromInput);
    const to = beads.resolveId(toInput);
    const now = nowIso();
    const dep = linkDependency(beads, from, to, type, now);
    return dep;
  });
}

/** Adds the edge inside a running transaction (create and addDependency share it); returns it. */
export function linkDependency(beads: Ctx, from: string, toInput: string, type: string, now: string): Dependency {
  checkDependencyType(type);
  const to = beads.resolveId(toInput);
  if (from === to) throw validation(`cannot add dependency: ${from} cannot depend on itself`);
  // Only edges that order work can form a cycle; related/duplicates/supersedes just point.
  if (!["related", "duplicates", "supersedes"].includes(type) && rel.reaches(beads.db, to, from)) {
    throw new BdError(
      "CYCLE",
      `cannot add dependency: would create a cycle (${to} already depends on ${from}, directly or transitively)`,
    );
  }
  const dep: Dependency = { issue_id: from, depends_on_id: to, type, created_at: now, created_by: beads.actor };
  const existing = rel.getDependency(beads.db, from, to, type);
  if (existing) return existing;
  rel.insertDependency(beads.db, dep);
  beads.event(from, "dependency_added", null, `${to} (${type})`, null, now);
  beads.touch([from], now);
  return dep;
}

/**
 * Removes the edge `from` → `to` (of `type`, needed when several edges of different types join
 * the two); throws NOT_FOUND when there is none.
 */
export function removeDependency(beads: Ctx, fromInput: string, toInput: string, type?: string): Dependency {
  return beads.mutate(() => {
    const from = beads.resolveId(fromInput);
    const to = dependencyTargetId(beads, from, toInput);
    const edges = rel.edgesBetween(beads.db, from, to).filter((d) => type === undefined || d.type === type);
    if (edges.length === 0) {
      throw notFound(`${from} does not depend on ${to}${type === undefined ? "" : ` with type ${type}`}`);
    }
    if (edges.length > 1) {
      throw validation(
        `${from} depends on ${to} through ${edges.length} edges (${
          edges.map((d) => d.type).join(", ")
        }): say which to remove with --type`,
      );
    }
    const existing = edges[0];
    const now = nowIso();
    rel.deleteDependency(beads.db, from, to, existing.type);
    beads.event(from, "dependency_removed", `${to} (${existing.type})`, null, null, now);
    beads.touch([from], now);
    return existing;
  });
}

/** Resolves the target of an existing edge, allowing targets that no longer exist. */
function dependencyTargetId(beads: Ctx, from: string, toInput: string): string {
  const direct = (rel.dependenciesOf(beads.db, [from]).get(from) ?? []).find((d) => d.depends_on_id === toInput);
  return direct ? direct.depends_on_id : beads.resolveId(toInput);
}

/** Returns the outgoing and incoming edges of an issue. */
export function dependencies(beads: Ctx, idInput: string): { dependencies: Dependency[]; dependents: Dependency[] } {
  const id = beads.resolveId(idInput);
  return {
    dependencies: rel.dependenciesOf(beads.db, [id]).get(id) ?? [],
    dependents: rel.dependentsOf(beads.db, [id]).get(id) ?? [],
  };
}

/** Returns the dependency tree: `down` = what it depends on, `up` = what depends on it. */
export function dependencyTree(
  beads: Ctx,
  idInput: string,
  opts: { direction?: "up" | "down"; maxDepth?: number } = {},
): TreeNode[] {
  const root = beads.resolveId(idInput);
  const direction = opts.direction ?? "down";
  const maxDepth = opts.maxDepth ?? 50;
  if (!Number.isInteger(maxDepth) || maxDepth < 1) throw validation("--max-depth must be a whole number ≥ 1");
  const nodes: { id: string; depth: number; parent: string | null; type?: string; truncated: boolean }[] = [];
  const seen = new Set<string>([root]);
  let frontier = [root];
  nodes.push({ id: root, depth: 0, parent: null, truncated: false });
  for (let depth = 1; frontier.length; depth++) {
    const edges = direction === "down" ? rel.dependenciesOf(beads.db, frontier) : rel.dependentsOf(beads.db, frontier);
    const next: string[] = [];
    for (const parent of frontier) {
      for (const e of edges.get(parent) ?? []) {
        const child = direction === "down" ? e.depends_on_id : e.issue_id;
        if (seen.has(child)) continue;
        if (depth > maxDepth) {
          nodes.find((n) => n.id === parent)!.truncated = true;
          continue;
        }
        seen.add(child);
        nodes.push({ id: child, depth, parent, type: e.type, truncated: false });
        next.push(child);
      }
    }
    frontier = next;
  }
  const issues = new Map(issuesRepo.getIssues(beads.db, nodes.map((n) => n.id)).map((i) => [i.id, i]));
  // Depth-first order so that each node follows its parent, as a tree prints.
  const children = new Map<string | null, typeof nodes>();
  for (const n of nodes) children.set(n.parent, [...(children.get(n.parent) ?? []), n]);
  const ordered: TreeNode[] = [];
  const visit = (n: typeof nodes[number]) => {
    const issue = issues.get(n.id) ?? ({ id: n.id, title: "", status: "missing" } as Issue);
    const node: TreeNode = { ...issue, depth: n.depth, parent_id: n.parent, truncated: n.truncated };
    if (n.type) node.dependency_type = n.type;
    ordered.push(node);
    for (const c of children.get(n.id) ?? []) visit(c);
  };
  visit(nodes[0]);
  return ordered;
}

/** Returns every dependency cycle (ignoring `related` edges) as lists of issues. */
export function cycles(beads: Ctx): Issue[][] {
  const cycles = findCycles(rel.allEdges(beads.db).filter((e) => e.type !== "related"));
  const issues = new Map(issuesRepo.getIssues(beads.db, cycles.flat()).map((i) => [i.id, i]));
  return cycles.map((c) => c.map((id) => issues.get(id) ?? ({ id, title: "", status: "missing" } as Issue)));
}

/** Returns edges whose target this database does not know (and did not delete). */
export function danglingDependencies(beads: Ctx): Dependency[] {
  return rel.danglingDependencies(beads.db);
}

/**
 * Moves an issue under a new parent (`parentInput` "" takes it out of any): its parent-child edge
 * is replaced in one write, with the cycle check of any new edge. The issue keeps its ID — commits,
 * other clones and tools refer to it by that — but the edge decides its parent (store/parent_rule.ts):
 * a `P.3` moved under Q is Q's child for children, list --parent, the ready rule, epics and triage,
 * and no longer P's. Taken out of any parent, a `P.3` falls back to the parent its ID names.
 */
export function reparent(beads: Ctx, idInput: string, parentInput: string): Issue {
  return beads.mutate(() => {
    const id = beads.resolveId(idInput);
    const parent = parentInput.trim() === "" ? undefined : beads.resolveId(parentInput);
    if (parent === id) throw validation(`${id} cannot be its own parent`);
    for (const d of rel.dependenciesOf(beads.db, [id]).get(id) ?? []) {
      if (d.type === "parent-child" && d.depends_on_id !== parent) {
        beads.removeDependency(id, d.depends_on_id, "parent-child");
      }
    }
    if (parent !== undefined) beads.addDependency(id, parent, "parent-child");
    return beads.issue(id);
  });
}
