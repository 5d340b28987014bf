/** `bd version`: nothing but the version, so that it loads nothing else. */
import { VERSION } from "../../version.ts";
import type { Command } from "../command.ts";

const version: Command = {
  path: ["version"],
  section: "Additional Commands",
  summary: "Print the version",
  maxArgs: 0,
  workspace: false,
  run(ctx) {
    if (ctx.globals.json) return ctx.out.data({ version: VERSION, build: "deno" });
    ctx.out.line(`bd version ${VERSION} (deno)`);
  },
};

export const versionCommands: Command[] = [version];
