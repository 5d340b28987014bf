/**
 * Human-readable rendering of issues in upstream bd's layouts (v0.50, see
 * shared/reference/bd-text-interface.md): people and scripts grep these lines.
 */
import type { Issue } from "../model/types.ts";
import type { IssueDetails } from "../core/service.ts";
import type { Colour, Output } from "./output.ts";
import { BUILT_IN_STATUSES } from "../model/status_categories.ts";

const STATUS_COLOUR: Record<string, Colour> = {
  open: "green",
  in_progress: "yellow",
  blocked: "red",
  deferred: "blue",
  closed: "gray",
};

/** bd's status icons (○ open, ◐ in progress, ● blocked, ✓ closed, ❄ deferred), from the model. */
const STATUS_ICON: Record<string, string> = Object.fromEntries(BUILT_IN_STATUSES.map((b) => [b.name, b.icon]));

/** The built-in status a custom one's category draws like (upstream: a custom status takes its category's icon). */
const CATEGORY_LOOK: Record<string, string> = {
  active: "open",
  wip: "in_progress",
  done: "closed",
  frozen: "deferred",
};

/** The built-in status whose icon and colour a status takes (itself, for a built-in one). */
function look(out: Output, s: string): string | undefined {
  return s in STATUS_ICON ? s : CATEGORY_LOOK[out.customCategory(s) ?? ""];
}

export function statusIcon(out: Output, s: string): string {
  const as = look(out, s);
  return as ? out.paint(STATUS_COLOUR[as], STATUS_ICON[as]) : out.paint("magenta", "◇");
}

export function status(out: Output, s: string): string {
  const as = look(out, s);
  return out.paint(as ? STATUS_COLOUR[as] : "magenta", s);
}

/** `● P2` (bd marks priority with a dot; closed issues print plain `P2`). */
export function priority(out: Output, p: number, closed = false): string {
  const text = closed ? `P${p}` : `● P${p}`;
  return out.paint(p <= 1 ? "red" : p === 2 ? "yellow" : "gray", text);
}

const TYPE_TAG: Record<string, string> = { epic: "EPIC", bug: "BUG" };

/** `YYYY-MM-DD` of a timestamp (Go's 2006-01-02). */
function day(ts: string | undefined): string {
  return ts ? ts.slice(0, 10) : "";
}

/** `YYYY-MM-DD HH:MM` of a timestamp (Go's 2006-01-02 15:04), in UTC. */
export function minute(ts: string): string {
  const t = Date.parse(ts);
  return Number.isNaN(t) ? ts : new Date(t).toISOString().slice(0, 16).replace("T", " ");
}

/** One `bd list` line: `○ bd-a1 [● P2] [task] @alice [l1 l2] - Title`. */
export function listLine(out: Output, i: Issue & { labels?: string[] }): string {
  const closed = look(out, i.status) === "closed";
  const who = i.assignee ? ` @${i.assignee}` : "";
  const labels = i.labels?.length ? ` [${i.labels.join(" ")}]` : "";
  return `${statusIcon(out, i.status)} ${out.paint("cyan", i.id)} [${
    priority(out, i.priority, closed)
  }] [${i.issue_type}]${who}${labels} - ${i.title}`;
}

/** The section a related issue goes under in `show`, by edge direction and type. */
function section(direction: "out" | "in", type: string): [string, string] {
  if (direction === "out") {
    if (type === "parent-child") return ["PARENT", "↑"];
    if (type === "discovered-from") return ["DISCOVERED FROM", "◊"];
    if (type === "related") return ["RELATED", "↔"];
    return ["DEPENDS ON", "→"];
  }
  if (type === "parent-child") return ["CHILDREN", "↳"];
  if (type === "discovered-from") return ["DISCOVERED", "◊"];
  if (type === "related") return ["RELATED", "↔"];
  return ["BLOCKS", "←"];
}

const SECTION_ORDER = ["PARENT", "DEPENDS ON", "DISCOVERED FROM", "CHILDREN", "BLOCKS", "DISCOVERED", "RELATED"];

/**
 * Returns the `show` text of one issue, in upstream bd 1.0.5's layout: the header, then
 * `Owner: <created_by> · Assignee: X · Type: T` and `Created: · Started: · Updated: · Due: ·
 * Deferred:` (dates; parts without a value dropped). `startedAt` is when it first went in progress.
 */
export function issueDetailsText(out: Output, d: IssueDetails, startedAt?: string): string[] {
  const tag = TYPE_TAG[d.issue_type] ? ` [${TYPE_TAG[d.issue_type]}]` : "";
  const lines = [
    `${statusIcon(out, d.status)} ${out.paint("bold", d.id)}${tag} · ${d.title}   [${
      priority(out, d.priority)
    } · ${d.status.toUpperCase()}]`,
  ];
  const who = [
    d.created_by ? `Owner: ${d.created_by}` : "",
    d.assignee ? `Assignee: ${d.assignee}` : "",
    `Type: ${d.issue_type}`,
  ].filter(Boolean);
  lines.push(who.join(" · "));
  const when = [
    `Created: ${day(d.created_at)}`,
    startedAt ? `Started: ${day(startedAt)}` : "",
    `Updated: ${day(d.updated_at)}`,
    d.due_at ? `Due: ${day(d.due_at)}` : "",
    d.defer_until ? `Deferred: ${day(d.defer_until)}` : "",
  ].filter(Boolean);
  lines.push(when.join(" · "));
  if (d.estimated_minutes !== undefined) lines.push(`Estimate: ${d.estimated_minutes} min`);
  if (d.close_reason) lines.push(`Close reason: ${d.close_reason}`);
  if (d.external_ref) lines.push(`External: ${d.external_ref}`);
  for (
    const [title, key] of [
      ["DESCRIPTION", "description"],
      ["DESIGN", "design"],
      ["NOTES", "notes"],
      ["ACCEPTANCE CRITERIA", "acceptance_criteria"],
    ] as const
  ) {
    const text = d[key];
    if (text) lines.push("", title, ...String(text).split("\n").map((l) => `  ${l}`));
  }
  if (d.labels.length) lines.push("", `LABELS: ${d.labels.join(", ")}`);
  const groups = new Map<string, string[]>();
  const add = (dir: "out" | "in", x: Issue & { dependency_type: string }) => {
    const [title, arrow] = section(dir, x.dependency_type);
    const tagged = TYPE_TAG[x.issue_type] ? `(${TYPE_TAG[x.issue_type]}) ` : "";
    const known = ["blocks", "parent-child", "discovered-from", "related"].includes(x.dependency_type);
    const type = known ? "" : ` [${x.dependency_type}]`;
    const line = `  ${arrow} ${statusIcon(out, x.status)} ${x.id}: ${tagged}${x.title} ${
      priority(out, x.priority ?? 2)
    }${type}`;
    groups.set(title, [...(groups.get(title) ?? []), line]);
  };
  for (const x of d.dependencies) add("out", x);
  for (const x of d.dependents) add("in", x);
  for (const title of SECTION_ORDER) {
    const group = groups.get(title);
    if (group) lines.push("", title, ...group);
  }
  if (d.comments.length) {
    lines.push("", "COMMENTS");
    for (const c of d.comments) {
      lines.push(`  ${minute(c.created_at)} ${c.author}`, ...c.text.split("\n").map((l) => `    ${l}`));
    }
  }
  return lines;
}

/** The line between issues when `show` prints several. */
export const SEPARATOR = "─".repeat(60);

/**
 * The rows as a parent/child tree: an issue whose parent is listed too goes under it (in list
 * order), the others are roots. `line` renders one row.
 */
export function treeLines<T extends { id: string }>(
  rows: T[],
  parents: Map<string, string>,
  line: (row: T) => string,
): string[] {
  const listed = new Set(rows.map((r) => r.id));
  const children = new Map<string, T[]>();
  const roots: T[] = [];
  for (const r of rows) {
    const parent = parents.get(r.id);
    if (parent !== undefined && listed.has(parent) && parent !== r.id) {
      children.set(parent, [...(children.get(parent) ?? []), r]);
    } else roots.push(r);
  }
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (r: T, lead: string, branch: string) => {
    if (seen.has(r.id)) return; // a parent-child cycle: each issue once
    seen.add(r.id);
    out.push(`${lead}${branch}${line(r)}`);
    const kids = children.get(r.id) ?? [];
    const next = lead + (branch === "" ? "" : branch === "└── " ? "    " : "│   ");
    kids.forEach((k, i) => walk(k, next, i === kids.length - 1 ? "└── " : "├── "));
  };
  for (const r of roots) walk(r, "", "");
  for (const r of rows) walk(r, "", ""); // issues only reachable through a cycle
  return out;
}
