import assert from "node:assert/strict";
import { commandProgram, selfArgv, selfCommand, shellQuote } from "../../src/core/sync/self_command.ts";
import { driverCommand, driverProgram } from "../../src/core/sync/merge_driver.ts";

Deno.test("shellQuote: plain paths stay bare; spaces and quotes are single-quoted; Windows paths get forward slashes", () => {
  assert.equal(shellQuote("/usr/local/bin/bd", "linux"), "/usr/local/bin/bd");
  assert.equal(shellQuote("/home/me/my tools/bd", "linux"), "'/home/me/my tools/bd'");
  assert.equal(shellQuote("/tmp/it's/bd", "linux"), `'/tmp/it'\\''s/bd'`);
  assert.equal(shellQuote("C:\\Program Files\\bd\\bd.exe", "win32"), "'C:/Program Files/bd/bd.exe'");
  assert.equal(shellQuote("C:\\tools\\bd.exe", "win32"), "C:/tools/bd.exe");
});

Deno.test("commandProgram reads back the program of a recorded command, quoted or not", () => {
  for (const program of ["/opt/bd", "/home/me/my tools/bd", "/tmp/it's/bd", "C:/Program Files/bd/bd.exe"]) {
    const quoted = shellQuote(program, "linux");
    assert.equal(commandProgram(`${quoted} merge %A %O %A %B`), program);
    assert.equal(driverProgram(driverCommand(quoted)), quoted);
  }
  assert.equal(commandProgram("bd merge %A %O %A %B"), "bd");
  assert.equal(driverProgram("my-own-driver %A %B"), undefined, "someone's own driver is not bd's form");
});

Deno.test("selfCommand: BD_SELF (a launcher) is recorded by absolute path; plain bd only when PATH's bd is this program", () => {
  const dir = Deno.makeTempDirSync({ prefix: "bd self " });
  const launcher = `${dir}/bd`;
  Deno.writeTextFileSync(launcher, "#!/bin/sh\n", { mode: 0o755 });
  assert.deepEqual(selfArgv({ BD_SELF: launcher }), [launcher]);
  assert.equal(selfCommand({ BD_SELF: launcher, PATH: "/usr/bin" }), shellQuote(launcher));
  assert.match(selfCommand({ BD_SELF: launcher, PATH: "/usr/bin" }), /^'\/.*bd self .*\/bd'$/);
  assert.equal(selfCommand({ BD_SELF: launcher, PATH: `/usr/bin:${dir}` }), "bd");
  const other = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${other}/bd`, "#!/bin/sh\n", { mode: 0o755 });
  assert.notEqual(selfCommand({ BD_SELF: launcher, PATH: other }), "bd", "another bd on PATH is not this one");
  // From source: the runtime and this tree's main.ts, by absolute paths.
  const argv = selfArgv({});
  assert.ok(argv[0].startsWith("/"));
  assert.ok(argv.length === 1 || argv.at(-1)!.endsWith("main.ts"));
});
