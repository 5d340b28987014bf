import assert from "node:assert/strict";
import { join } from "node:path";
import { exportJsonl, importJsonl, initWorkspace, openWorkspace } from "../../src/mod.ts";
import { ROOT } from "../helpers.ts";

Deno.test("the library opens a workspace by database path and shares the CLI's rules", () => {
  const dir = Deno.makeTempDirSync();
  const bd = initWorkspace({ cwd: dir, env: {}, prefix: "lib", actor: "app" });
  const a = bd.create({ title: "a", labels: ["x"] });
  const b = bd.create({ title: "b" });
  bd.addDependency(a.id, b.id);
  bd.close();
  const again = openWorkspace({ db: join(dir, ".beads", "lib.db"), actor: "app2" });
  assert.deepEqual(again.ready().map((i) => i.id), [b.id]);
  assert.equal(again.claimNextReady()?.assignee, "app2");
  const text = exportJsonl(again);
  assert.equal(text.trim().split("\n").length, 2);
  assert.equal(importJsonl(again, text).unchanged, 2);
  again.close();
});

Deno.test("the Integration Pattern example runs: claims ready work, records executions, joins the layers", async () => {
  const dir = await Deno.makeTempDir();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", join(ROOT, "deno.json"), join(ROOT, "scripts", "example_integration.ts"), dir],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(stdout, /agent-1 claimed myapp-\w+ \(execution 1\)/);
  const joined = JSON.parse(stdout.trim().split("\n").pop()!);
  assert.equal(joined.length, 2);
  assert.ok(
    joined.every((r: { issue_status: string; checkpoint_count: number }) =>
      r.issue_status === "in_progress" && r.checkpoint_count === 1
    ),
  );
});
