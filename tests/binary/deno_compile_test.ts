/**
 * `deno task compile` needs Deno's denort runtime, a download these build machines cannot make.
 * This test runs wherever the runtime is available (DENORT_BIN set, or already in DENO_DIR), and
 * is reported as ignored, with the reason printed, everywhere else.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers.ts";

function denortAvailable(): string | undefined {
  const explicit = Deno.env.get("DENORT_BIN");
  if (explicit && existsSync(explicit)) return explicit;
  const dir = Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache", "deno");
  const zip = join(dir, "dl", "release", `v${Deno.version.deno}`, "denort-x86_64-unknown-linux-gnu.zip");
  return existsSync(zip) ? zip : undefined;
}

const denort = denortAvailable();
if (!denort) {
  console.log(
    "deno compile test ignored: Deno's denort runtime is not available here (set DENORT_BIN, or allow the download); " +
      "the offline Bun build (deno task build) is tested instead",
  );
}

Deno.test({
  name: "deno task compile builds a dist/bd that reports the same version",
  ignore: !denort,
  async fn() {
    const out = join(await Deno.makeTempDir(), "bd");
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["compile", "--allow-all", "--config", join(ROOT, "deno.json"), "--output", out, join(ROOT, "main.ts")],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
    const v = await new Deno.Command(out, { args: ["version"], stdout: "piped" }).output();
    assert.match(new TextDecoder().decode(v.stdout), /^bd version \d+\.\d+\.\d+ \(deno\)\n$/);
  },
});
