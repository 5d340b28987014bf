/**
 * `bd serve --sync-every`: a server that keeps git current, against a real bare remote and a clone.
 * A write through the server reaches the remote's issues.jsonl within a round; an issue a clone
 * pushes is answered by the server after the next round; a failing round is reported on /healthz
 * (to a caller with the token) and never stops the server or loses a write.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bd, bdOk, startServer, waitFor } from "../helpers.ts";
import { bdIn, clones, git, gitEnv } from "../git_helpers.ts";

type Obj = Record<string, unknown>;

Deno.test("serve --sync-every: writes reach the remote, a clone's pushes reach the server, a failed round is retried", async () => {
  const { root, dirs: [home, other] } = await clones(["home", "other"]);
  const server = await startServer(home, ["--sync-every", "2s"], gitEnv(home));
  const client = await Deno.makeTempDir();
  const env = { BD_SERVER: server.url };
  const remoteJsonl = async () =>
    (await new Deno.Command("git", {
      args: ["--git-dir", join(root, "remote.git"), "show", "main:.beads/issues.jsonl"],
      stdout: "piped",
      stderr: "null",
    }).output()).stdout;
  const onRemote = async (text: string) => new TextDecoder().decode(await remoteJsonl()).includes(text);
  const health = async () => (await (await fetch(server.url.replace(/graphql$/, "healthz"))).json()).sync as Obj;
  try {
    // 1. Written through the server (remote mode), on the remote after the next round.
    const made = (await bdOk(client, ["create", "written through the server", "--json"], { env })).json();
    await waitFor(() => onRemote("written through the server"), 30_000, "the server's write on the remote");

    // 2. Pushed from a clone: the server answers with it after the next round.
    await bdIn(other, ["sync"]);
    const pushed = (await bdIn(other, ["create", "pushed from a clone", "--json"])).json();
    await bdIn(other, ["sync"]);
    await waitFor(
      async () => (await bd(client, ["show", pushed.id, "--json"], { env })).code === 0,
      30_000,
      "the clone's issue on the server",
    );
    const status = await health();
    assert.ok(Number(status.rounds) >= 1 && status.last_ok_at, JSON.stringify(status));

    // 3. The remote goes away: rounds fail, are reported, and the server keeps taking writes.
    await Deno.rename(join(root, "remote.git"), join(root, "away.git"));
    const during = (await bdOk(client, ["create", "written while the remote was away", "--json"], { env })).json();
    await waitFor(async () => typeof (await health()).last_error === "string", 30_000, "a failed round reported");
    assert.ok(Number((await health()).failures) >= 1);
    assert.equal((await bd(client, ["show", during.id, "--json"], { env })).code, 0, "the server still serves");
    await Deno.rename(join(root, "away.git"), join(root, "remote.git"));
    await waitFor(
      () => onRemote("written while the remote was away"),
      30_000,
      "the kept write pushed by a later round",
    );
    await waitFor(async () => (await health()).last_error === undefined, 30_000, "the error clears");
    assert.ok(made.id);
    // The clone sees everything after its own pull.
    await bdIn(other, ["sync"]);
    const ids = (await bdIn(other, ["list", "--json", "--limit", "0"])).json().map((i: Obj) => i.id);
    assert.ok(ids.includes(made.id) && ids.includes(during.id));
    await git(home, "status", "--porcelain");
  } finally {
    await server.stop();
  }
});

Deno.test("serve: sync details on /healthz need the token; a bad --sync-every is a usage error", async () => {
  const { dirs: [home] } = await clones(["solo"]);
  const token = (await bdIn(home, ["token", "add", "ops"])).stdout.trim();
  const server = await startServer(home, ["--sync-every", "1h"], gitEnv(home));
  try {
    const bare = await (await fetch(server.url.replace(/graphql$/, "healthz"))).json();
    assert.deepEqual(bare, { status: "ok" }, "nothing but up or down without the token");
    const full = await (await fetch(server.url.replace(/graphql$/, "healthz"), {
      headers: { authorization: `Bearer ${token}` },
    })).json();
    assert.equal(full.sync.every_seconds, 3600);
  } finally {
    await server.stop();
  }
  const bad = await bd(home, ["serve", "--sync-every", "soon", "--json"], { env: gitEnv(home) });
  assert.equal(bad.code, 2);
  assert.match(JSON.parse(bad.stderr).error, /--sync-every/);
});
