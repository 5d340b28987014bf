/**
 * Deterministic test data: N issues with ~2 dependencies each (blocks, related, discovered-from,
 * and parent-child hierarchies under epics), labels and comments, as bd JSONL.
 * The same seed always gives the same bytes.
 *
 * Usage: deno run -A scripts/gen_data.ts N [--seed S] [--prefix P] > issues.jsonl
 *        deno run -A scripts/gen_data.ts N --db DIR   (also builds DIR/.beads/<prefix>.db from it)
 */

/** A small seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  "fix",
  "add",
  "refactor",
  "auth",
  "api",
  "cache",
  "sync",
  "export",
  "parser",
  "index",
  "query",
  "login",
  "retry",
  "docs",
  "tests",
  "deploy",
  "metrics",
  "schema",
  "cli",
  "server",
];
const LABELS = ["backend", "frontend", "infra", "docs", "urgent", "tech-debt", "perf", "security"];
const TYPES = ["task", "task", "task", "bug", "bug", "feature", "chore"];
const STATUSES = ["open", "open", "open", "open", "in_progress", "closed", "closed", "closed", "blocked", "deferred"];

/** Returns N issues as JSONL lines (sorted by ID, as bd writes them). */
export function generate(n: number, seed = 42, prefix = "bench"): string[] {
  const rand = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const base = Date.parse("2025-01-01T00:00:00Z");
  const ids: string[] = [];
  const records: Record<string, unknown>[] = [];
  let epic = "";
  let child = 0;
  for (let i = 0; i < n; i++) {
    // Every 50th issue is an epic; the next few are its children (hierarchical IDs).
    let id: string;
    let type = pick(TYPES);
    if (i % 50 === 0) {
      id = `${prefix}-${i.toString(36).padStart(5, "0")}`;
      type = "epic";
      epic = id;
      child = 0;
    } else if (i % 50 <= 5) id = `${epic}.${++child}`;
    else id = `${prefix}-${i.toString(36).padStart(5, "0")}`;
    const created = new Date(base + i * 60_000 + Math.floor(rand() * 30_000)).toISOString();
    const status = pick(STATUSES);
    const updated = new Date(Date.parse(created) + Math.floor(rand() * 86_400_000)).toISOString();
    const rec: Record<string, unknown> = {
      id,
      title: `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} #${i}`,
      description: `Generated issue ${i}. ${Array.from({ length: 8 }, () => pick(WORDS)).join(" ")}.`,
      status,
      priority: Math.floor(rand() * 5),
      issue_type: type,
      created_at: created,
      created_by: "gen",
      updated_at: updated,
    };
    if (status === "closed") (rec.closed_at = updated), (rec.close_reason = "Done");
    if (rand() < 0.3) rec.assignee = `agent-${Math.floor(rand() * 16)}`;
    const labels = [...new Set(Array.from({ length: Math.floor(rand() * 3) }, () => pick(LABELS)))].sort();
    if (labels.length) rec.labels = labels;
    const deps: Record<string, unknown>[] = [];
    if (id.includes(".")) {
      deps.push({ issue_id: id, depends_on_id: epic, type: "parent-child", created_at: created, created_by: "gen" });
    }
    const targets = new Set<string>();
    for (let k = 0; k < 2 && ids.length > 0; k++) {
      // Only earlier issues: the graph stays acyclic.
      const target = ids[Math.floor(rand() * ids.length)];
      if (target === epic || targets.has(target)) continue;
      targets.add(target);
      deps.push({
        issue_id: id,
        depends_on_id: target,
        type: pick(["blocks", "blocks", "related", "discovered-from"]),
        created_at: created,
        created_by: "gen",
      });
    }
    if (deps.length) {
      rec.dependencies = deps.sort((a, b) => (String(a.depends_on_id) < String(b.depends_on_id) ? -1 : 1));
    }
    if (rand() < 0.2) rec.comments = [{ issue_id: id, author: "gen", text: `note on ${i}`, created_at: updated }];
    ids.push(id);
    records.push(rec);
  }
  return records.map((r) => JSON.stringify(r)).sort((a, b) => {
    const ia = a.slice(7, a.indexOf('"', 7)), ib = b.slice(7, b.indexOf('"', 7));
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
}

if (import.meta.main) {
  const n = Number(Deno.args[0] ?? "1000");
  const flag = (name: string) => {
    const i = Deno.args.indexOf(name);
    return i >= 0 ? Deno.args[i + 1] : undefined;
  };
  const seed = Number(flag("--seed") ?? 42);
  const prefix = flag("--prefix") ?? "bench";
  const text = generate(n, seed, prefix).join("\n") + "\n";
  const dir = flag("--db");
  if (!dir) {
    await Deno.stdout.write(new TextEncoder().encode(text));
  } else {
    const { initWorkspace } = await import("../src/mod.ts");
    const { importText } = await import("../src/core/sync/jsonl_import.ts");
    await Deno.mkdir(dir, { recursive: true });
    const bd = initWorkspace({ cwd: dir, env: {}, prefix, actor: "gen" });
    const t0 = performance.now();
    const summary = importText(bd, text);
    console.error(
      `imported ${summary.created} issues into ${dir}/.beads/${prefix}.db in ${Math.round(performance.now() - t0)} ms`,
    );
    bd.close();
  }
}
