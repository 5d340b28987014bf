/**
 * Extension tables whose names are not plain identifiers (issue 32): refused by bd ext check, by
 * bd schema and by a running server's hot reload, with the name and the reason; the rest of the
 * API keeps serving.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { bd, bdOk, startServer, waitFor, workspace } from "../helpers.ts";

Deno.test("a table or column name with a quote is left out with its reason; the schema and a running server keep serving", async () => {
  const dir = await workspace("xn");
  const db = () => new DatabaseSync(join(dir, ".beads", "xn.db"));
  const conn = db();
  conn.exec(`CREATE TABLE myapp_ok (id INTEGER PRIMARY KEY, issue_id TEXT REFERENCES issues(id), note TEXT)`);
  conn.close();
  await bdOk(dir, ["ext", "init", "myapp_"]);
  const server = await startServer(dir);
  const stats = async () => {
    const r = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ stats { totalIssues } myappOkList { nodes { id } } }" }),
    });
    return await r.json();
  };
  try {
    assert.deepEqual((await stats()).data.stats, { totalIssues: 0 });
    // Now tables a foreign program made: a quote in a table name (given a valid type name), in a column.
    const c = db();
    c.exec(`CREATE TABLE "myapp_q""" (id INTEGER PRIMARY KEY, issue_id TEXT REFERENCES issues(id), note TEXT);
      CREATE TABLE myapp_col (id INTEGER PRIMARY KEY, issue_id TEXT REFERENCES issues(id), "a""b" TEXT);`);
    c.close();
    const path = join(dir, ".beads", "graphql.json");
    const config = JSON.parse(Deno.readTextFileSync(path));
    config.extensions[0].tables = { 'myapp_q"': { typeName: "MyappQ" } };
    Deno.writeTextFileSync(path, JSON.stringify(config));
    const check = await bd(dir, ["ext", "check"]);
    assert.equal(check.code, 1);
    assert.match(check.stdout + check.stderr, /table "myapp_q\\"" is not a plain identifier/);
    assert.match(check.stdout + check.stderr, /column myapp_col\."a\\"b" is not a plain identifier/);
    const schema = await bd(dir, ["schema"]);
    assert.equal(schema.code, 0, schema.stderr);
    assert.match(schema.stdout, /type MyappOk /);
    assert.doesNotMatch(schema.stdout, /MyappQ|myapp_q"/);
    // The running server reloads: the good table still serves, the bad ones are left out.
    await waitFor(
      async () => {
        const s = await stats();
        return !s.errors && s.data.stats.totalIssues === 0;
      },
      10_000,
      "the server still answers after the reload",
    );
    assert.match(server.stderr(), /not a plain identifier/);
  } finally {
    await server.stop();
  }
});
