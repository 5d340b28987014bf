/** bd entry point: hand argv to the CLI and exit with its code. */
import process from "node:process";
import { run } from "./src/cli/main.ts";

process.exitCode = await run(process.argv.slice(2));
