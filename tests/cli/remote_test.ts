/**
 * Remote mode (contract §10): `bd --server URL` against a real `bd serve` on 127.0.0.1 gives the
 * bytes, exit codes and JSON errors of the same commands run locally, at one request per command
 * (counted by a delaying TCP proxy); commands that need a checkout are refused and write nothing;
 * an unreachable, refusing or foreign server gets its own error.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bd, bdCommand, type Result, startServer, workspace, workspaceWithIssues } from "../helpers.ts";

type Obj = Record<string, unknown>;
import { startDelayProxy } from "../../scripts/delay_proxy.ts";

/** An empty directory: an agent in a container with no clone. */
const elsewhere = () => Deno.makeTempDir({ prefix: "bd-remote-client-" });

/** A hand-made remote-command request, as a client that is not bd could send it. */
function postCli(server: { url: string }, argv: string[], extra: Record<string, unknown> = {}): Promise<Response> {
  return fetch(server.url.replace(/graphql$/, "cli"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      protocol: 1,
      version: "x",
      argv,
      actor: "a",
      actorGiven: false,
      files: {},
      fileErrors: {},
      env: {},
      terminal: false,
      ...extra,
    }),
  });
}

/** Times and the lead-time average differ between two runs; everything else must match. */
function normalise(text: string): string {
  return text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g, "<time>")
    .replace(/"average_lead_time_hours":[0-9.e+-]+/g, '"average_lead_time_hours":<n>')
    .replace(/Avg Lead Time: .*\n/g, "Avg Lead Time: <n>\n");
}

/** One scripted step: the arguments, and optionally stdin and files the client has. */
type Step = { args: string[]; stdin?: string; /** A usage error the client finds itself: no request. */ parse?: true };

const SCRIPT: Step[] = [
  { args: ["create", "Set up the database", "--id", "rm-db", "-p", "1", "-l", "infra,db"] },
  { args: ["create", "Write the API", "--id", "rm-api", "-t", "feature", "--deps", "rm-db", "--json"] },
  { args: ["create", "Epic", "--id", "rm-ep", "-t", "epic", "--json"] },
  { args: ["create", "Part one", "--parent", "rm-ep", "--json"] },
  { args: ["create", "Described", "--id", "rm-d", "--body-file", "desc.md", "--json"] },
  { args: ["create", "From stdin", "--id", "rm-s", "--stdin", "--json"], stdin: "piped text\n" },
  { args: ["create", "Quick one", "--id", "rm-q", "--silent"] },
  { args: ["show", "rm-db"] },
  { args: ["show", "rm-api", "rm-db", "--json"] },
  { args: ["show", "--id", "rm-d", "--short"] },
  { args: ["list"] },
  { args: ["list", "--json", "--sort", "id"] },
  { args: ["list", "--tree"] },
  { args: ["ready"] },
  { args: ["ready", "--json", "--limit", "0"] },
  { args: ["blocked", "--json"] },
  { args: ["search", "API"] },
  { args: ["count", "--json"] },
  { args: ["count", "--by-status"] },
  { args: ["stats"] },
  { args: ["stats", "--json"] },
  { args: ["update", "rm-db", "--claim", "--json"] },
  { args: ["update", "rm-db", "--claim"] },
  { args: ["dep", "list", "rm-api", "--json"] },
  { args: ["dep", "tree", "rm-api"] },
  { args: ["dep", "add", "rm-q", "rm-d", "--type", "related"] },
  { args: ["dep", "cycles", "--json"] },
  { args: ["label", "add", "rm-q", "later"] },
  { args: ["label", "list", "rm-q", "--json"] },
  { args: ["label", "list-all"] },
  { args: ["comments", "add", "rm-db", "started on it", "--json"] },
  { args: ["comments", "add", "rm-db", "-f", "note.txt", "-a", "Dana"] },
  { args: ["comments", "rm-db"] },
  { args: ["note", "rm-api", "remember the auth"] },
  { args: ["defer", "rm-q", "--until", "2099-01-01"] },
  { args: ["undefer", "rm-q", "--json"] },
  { args: ["children", "rm-ep", "--json"] },
  { args: ["epic", "status"] },
  { args: ["triage", "--json"] },
  { args: ["graph", "rm-api"] },
  { args: ["lint", "--json"] },
  { args: ["remember", "use the staging db", "--key", "staging"] },
  { args: ["memories", "--json"] },
  { args: ["recall", "staging"] },
  { args: ["statuses", "--json"] },
  { args: ["types"] },
  { args: ["config", "get", "issue_prefix"] },
  { args: ["config", "list", "--json"] },
  { args: ["human", "list", "--json"] },
  { args: ["close", "rm-db", "--reason-file", "reason.txt", "--json"] },
  { args: ["ready", "--json"] },
  { args: ["reopen", "rm-db", "--reason", "not yet"] },
  { args: ["close", "rm-db", "rm-api", "--reason", "done", "--suggest-next", "--json"] },
  { args: ["delete", "rm-q"] },
  { args: ["delete", "rm-q", "--force", "--json"] },
  { args: ["forget", "staging"] },
  { args: ["export"] },
  // Failures: the same message, code and exit status.
  { args: ["show", "rm-nothing"] },
  { args: ["show", "rm-nothing", "--json"] },
  { args: ["create", "x", "-p", "9", "--json"] },
  { args: ["update", "rm-d", "--status", "doing"] },
  { args: ["list", "--frobnicate"], parse: true },
  { args: ["dep", "add", "rm-d", "rm-d", "--json"] },
  { args: ["create", "x", "--body-file", "missing.md", "--json"] },
  { args: ["close"] },
  { args: ["list", "--status", "nonsense", "--json"] },
];

const FILES: Record<string, string> = {
  "desc.md": "# Described\n\nfrom a file\n",
  "note.txt": "from a file",
  "reason.txt": "finished\n",
};

Deno.test("remote: a scripted session gives the same bytes, exit codes and JSON errors as local runs, one request per command", async () => {
  const local = await workspace("rm");
  const served = await workspace("rm");
  const client = await elsewhere();
  for (const [name, text] of Object.entries(FILES)) {
    Deno.writeTextFileSync(join(local, name), text);
    Deno.writeTextFileSync(join(client, name), text);
  }
  const server = await startServer(served, ["--allow-host", "127.0.0.1"]); // the proxy's port too
  const proxy = await startDelayProxy(Number(new URL(server.url).port), 0);
  try {
    const env = { BD_SERVER: `http://127.0.0.1:${proxy.port}` };
    for (const step of SCRIPT) {
      const before = proxy.requests();
      const here: Result = await bd(local, step.args, { stdin: step.stdin });
      const there: Result = await bd(client, step.args, { stdin: step.stdin, env });
      const what = `bd ${step.args.join(" ")}`;
      assert.equal(there.code, here.code, `${what}: exit code\nlocal: ${here.stderr}\nremote: ${there.stderr}`);
      // The one difference allowed: where each ran (a file's absolute path in an error).
      const at = (text: string, dir: string) => normalise(text.replaceAll(dir, "<cwd>"));
      assert.equal(at(there.stdout, client), at(here.stdout, local), `${what}: stdout`);
      assert.equal(at(there.stderr, client), at(here.stderr, local), `${what}: stderr`);
      assert.equal(proxy.requests() - before, step.parse ? 0 : 1, `${what}: one request (none for a usage error)`);
    }
    assert.equal(proxy.connections(), SCRIPT.filter((s) => !s.parse).length, "one connection per command");
  } finally {
    await proxy.close();
    await server.stop();
  }
});

Deno.test("remote: commands that need a checkout are refused with USAGE before any request, and write nothing", async () => {
  const served = await workspace("rf");
  const client = await elsewhere();
  const server = await startServer(served, ["--allow-host", "127.0.0.1"]); // the proxy's port too
  const proxy = await startDelayProxy(Number(new URL(server.url).port), 0);
  const before = Deno.readTextFileSync(join(served, ".beads", "issues.jsonl"));
  try {
    const env = { BD_SERVER: `http://127.0.0.1:${proxy.port}` };
    const refused = [
      ["init"],
      ["sync"],
      ["hooks", "install"],
      ["hooks", "list"],
      ["setup", "claude"],
      ["merge", "a", "b", "c", "d"],
      ["serve"],
      ["mcp"],
      ["doctor", "--fix"],
      ["doctor"],
      ["export", "-o", "out.jsonl"],
      ["import"],
      ["resolve-conflicts"],
      ["edit", "rf-1"],
      ["orphans"],
      ["config", "set", "issue_prefix", "zz"],
      ["ext", "init", "myapp_"],
      ["schema"],
      ["where"],
    ];
    for (const args of refused) {
      const r = await bd(client, [...args, "--json"], { env });
      assert.equal(r.code, 2, `bd ${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stdout, "");
      const err = JSON.parse(r.stderr);
      assert.equal(err.code, "USAGE");
      assert.match(err.error, /does not run against a server/);
    }
    assert.equal(proxy.requests(), 0, "nothing was sent");
    assert.deepEqual([...Deno.readDirSync(client)], [], "nothing written on the client");
    assert.equal(Deno.readTextFileSync(join(served, ".beads", "issues.jsonl")), before, "nor on the server");
    // The server checks the same table: a hand-made request for a refused command is refused there too.
    const direct = await postCli(server, ["export", "-o", "/tmp/stolen.jsonl"]);
    const reply = await direct.json();
    assert.equal(reply.code, 2);
    assert.match(reply.stderr, /does not run on a server/);
    for (
      const argv of [["list", "--db", "/etc/passwd"], ["list", "-C", "/"], [
        "create",
        "x",
        "--body-file",
        "/etc/hostname",
      ]]
    ) {
      const r = await postCli(server, argv);
      const body = await r.json();
      assert.notEqual(body.code, 0, `${argv.join(" ")} must not run: ${body.stdout}`);
      assert.doesNotMatch(body.stdout + body.stderr, /root:|localhost/, "no server file leaks");
    }
  } finally {
    await proxy.close();
    await server.stop();
  }
});

Deno.test("remote: server down, a wrong token, a foreign server and an old protocol each get their own error", async () => {
  const client = await elsewhere();
  const closed = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = closed.addr.port;
  closed.close(); // nothing listens there now
  const down = await bd(client, ["list", "--json"], { env: { BD_SERVER: `http://127.0.0.1:${port}` } });
  assert.equal(down.code, 1);
  assert.equal(down.stdout, "");
  const err = JSON.parse(down.stderr);
  assert.equal(err.code, "UNREACHABLE");
  assert.equal(
    err.error,
    `cannot reach the server at http://127.0.0.1:${port}: connection refused (is bd serve running there?)`,
  );
  const text = await bd(client, ["list"], { env: { BD_SERVER: `http://127.0.0.1:${port}` } });
  assert.match(text.stderr, /^Error: cannot reach the server at http:\/\/127\.0\.0\.1:\d+: connection refused/);

  const served = await workspace("tk");
  const server = await startServer(served, ["--token", "s3cret"]);
  try {
    const env = { BD_SERVER: server.url };
    const none = await bd(client, ["list", "--json"], { env });
    assert.equal(JSON.parse(none.stderr).code, "UNAUTHENTICATED");
    assert.equal(none.code, 1);
    const wrong = await bd(client, ["list", "--json"], { env: { ...env, BD_TOKEN: "nope" } });
    assert.equal(JSON.parse(wrong.stderr).code, "UNAUTHENTICATED");
    const right = await bd(client, ["list", "--json"], { env: { ...env, BD_TOKEN: "s3cret" } });
    assert.equal(right.code, 0, right.stderr);
    assert.deepEqual(right.json(), []);
    const old = await fetch(server.url.replace(/graphql$/, "cli"), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer s3cret" },
      body: JSON.stringify({ protocol: 99, version: "9.9.9", argv: ["list"] }),
    });
    assert.equal(old.status, 409);
    assert.equal((await old.json()).code, "INCOMPATIBLE");
  } finally {
    await server.stop();
  }

  // Something else listening there: no remote-command route.
  const other = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    () => new Response("nope", { status: 404 }),
  );
  try {
    const r = await bd(client, ["list", "--json"], { env: { BD_SERVER: `http://127.0.0.1:${other.addr.port}` } });
    assert.equal(JSON.parse(r.stderr).code, "INCOMPATIBLE");
  } finally {
    await other.shutdown();
  }

  // A server that never answers: a timeout, named as such.
  const silent = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const held: Deno.Conn[] = [];
  (async () => {
    for await (const c of silent) held.push(c);
  })();
  try {
    const r = await bd(client, ["list", "--json"], {
      env: { BD_SERVER: `http://127.0.0.1:${silent.addr.port}`, BD_SERVER_TIMEOUT: "1" },
    });
    const e = JSON.parse(r.stderr);
    assert.equal(e.code, "UNREACHABLE");
    assert.match(e.error, /did not answer within 1 s/);
  } finally {
    silent.close();
    for (const c of held) c.close();
  }
});

Deno.test("remote: bd prime tells an agent it works against a team server (and stays under 2 KB)", async () => {
  const served = await workspace("pr");
  const server = await startServer(served);
  try {
    const text = (await bd(await elsewhere(), ["prime"], { env: { BD_SERVER: server.url } })).stdout;
    assert.match(text, /- Remote: bd runs against a team server \(BD_SERVER/);
    assert.ok(new TextEncoder().encode(text).length < 2048);
    assert.doesNotMatch((await bd(served, ["prime"])).stdout, /team server/, "not for a local workspace");
  } finally {
    await server.stop();
  }
});

Deno.test("remote: a bad --server URL is a usage error, and the token never goes in the URL", async () => {
  const client = await elsewhere();
  for (const url of ["not a url", "ftp://host/", "http://user:pw@127.0.0.1:1/", "http://127.0.0.1:1/?token=x"]) {
    const r = await bd(client, ["list", "--json", "--server", url]);
    assert.equal(r.code, 2, url);
    assert.equal(JSON.parse(r.stderr).code, "USAGE");
  }
});

Deno.test("remote: 8 clients × 50 `ready --claim` on 200 issues through one server: every issue claimed once", async () => {
  const served = await workspaceWithIssues(200, "cc");
  const server = await startServer(served);
  try {
    const BD = bdCommand().map((s) => `'${s.replaceAll("'", "'\\''")}'`).join(" ");
    const loop = `for i in $(seq 50); do ${BD} ready --claim --json || echo "FAILED $?" >&2; done`;
    const results = await Promise.all(Array.from({ length: 8 }, (_, c) =>
      new Deno.Command("bash", {
        args: ["-c", loop],
        cwd: Deno.makeTempDirSync(),
        env: {
          PATH: Deno.env.get("PATH")!,
          HOME: Deno.env.get("HOME") ?? "/tmp",
          NO_COLOR: "1",
          BD_SERVER: server.url,
          BD_ACTOR: `remote-${c}`,
        },
        stdout: "piped",
        stderr: "piped",
      }).output()));
    const claimed: Obj[] = [];
    for (const [c, r] of results.entries()) {
      assert.equal(new TextDecoder().decode(r.stderr), "", `client ${c}`);
      for (const line of new TextDecoder().decode(r.stdout).split("\n").filter(Boolean)) {
        const got = JSON.parse(line) as Obj[];
        for (const i of got) assert.equal(i.assignee, `remote-${c}`), claimed.push(i);
      }
    }
    assert.equal(claimed.length, 200);
    assert.equal(new Set(claimed.map((i) => i.id)).size, 200, "no issue claimed twice");
  } finally {
    await server.stop();
  }
});
