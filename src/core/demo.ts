/**
 * `bd serve --demo`: a throwaway workspace holding a small, realistic project — an epic with
 * children, blockers, a bug found along the way, labels, comments, memories, and an application's
 * extension tables with rows (exposed in GraphQL) — so that one command shows the whole product.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { initWorkspace } from "./init.ts";
import { remember } from "./memories.ts";
import { recordDemoExecution } from "../store/demo_tables.ts";
import type { Beads } from "./service.ts";

/** Creates the demo workspace in a new temp directory; returns it opened. */
export function createDemoWorkspace(env: Record<string, string | undefined>): Beads {
  const dir = mkdtempSync(join(tmpdir(), "bd-demo-"));
  const { beads } = initWorkspace({ cwd: dir, env, prefix: "demo", actor: "demo", mergeDriver: false });
  const b = beads;
  const epic = b.create({ title: "Ship passwordless login", issue_type: "epic", priority: 1, labels: ["auth"] }).id;
  const design = b.create({
    title: "Design the magic-link flow",
    parent: epic,
    priority: 1,
    description: "Sequence diagram, token lifetime, rate limits.\n\n## Acceptance Criteria\nReviewed by security.",
    labels: ["auth", "design"],
  }).id;
  const api = b.create({ title: "Token endpoint and email sender", parent: epic, priority: 1, labels: ["backend"] })
    .id;
  const ui = b.create({ title: "Login page with 'email me a link'", parent: epic, priority: 2, labels: ["frontend"] })
    .id;
  const tests = b.create({ title: "End-to-end tests for the login flow", parent: epic, priority: 2 }).id;
  b.addDependency(api, design);
  b.addDependency(ui, api);
  b.addDependency(tests, ui);
  b.closeIssue(design, "Approved in review");
  b.as("agent-7").claim(api);
  const bug = b.create({
    title: "Email links break in Outlook previews",
    issue_type: "bug",
    priority: 0,
    deps: [{ id: api, type: "discovered-from" }],
    labels: ["backend", "urgent"],
  }).id;
  b.addComment(bug, "Outlook's link scanner consumes the one-time token. Make the link land on a confirm page.");
  b.addComment(api, "Rate limit: 5 links per address per hour.");
  const docs = b.create({ title: "Document the new login for support", issue_type: "chore", priority: 3 }).id;
  b.create({ title: "Upgrade the mail library", issue_type: "task", priority: 2, labels: ["tech-debt"] });
  const metrics = b.create({ title: "Login success-rate dashboard", issue_type: "feature", priority: 2 }).id;
  b.addDependency(metrics, api, "related");
  b.addDependency(docs, ui);
  remember(b, "Magic links expire after 15 minutes; never log the token.", "magic-link-rules");
  b.db.write(() => {
    recordDemoExecution(b.db, api, { status: "running", agent: "agent-7", startedAt: "2026-11-30T09:00:00Z" }, [
      { name: "assessment", data: { files: 4, risk: "medium" } },
      { name: "implementation", data: { done: ["endpoint"], todo: ["sender"] } },
    ]);
    recordDemoExecution(b.db, design, {
      status: "completed",
      agent: "agent-2",
      startedAt: "2026-11-28T10:00:00Z",
      completedAt: "2026-11-28T16:30:00Z",
    }, [{ name: "review", data: { approved: true } }]);
    recordDemoExecution(b.db, bug, {
      status: "failed",
      agent: "agent-3",
      startedAt: "2026-11-30T11:00:00Z",
      error: "could not reproduce without a real Outlook client",
    }, []);
  });
  writeFileSync(
    join(b.paths.beadsDir, "graphql.json"),
    JSON.stringify(
      { extensions: [{ name: "myapp", prefix: "myapp_", tables: { myapp_checkpoints: { json: ["step_data"] } } }] },
      null,
      2,
    ) + "\n",
  );
  return b;
}
