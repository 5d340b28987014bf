/** bd entry point: hand argv to the CLI and exit with its code. */
import process from "node:process";
import { run } from "./src/cli/main.ts";

// No top-level await: the offline Bun build compiles to bytecode, which does not allow it.
run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
