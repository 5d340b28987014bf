/** `bd completion SHELL`: generated from the command table itself (every module loads, for this command only). */
import { BdError } from "../../model/errors.ts";
import type { Command } from "../command.ts";

const completion: Command = {
  path: ["completion"],
  section: "Setup & Configuration",
  summary: "Print a shell completion script (bash, zsh, fish, powershell)",
  args: "SHELL",
  minArgs: 1,
  maxArgs: 1,
  workspace: false,
  description: `Every command, subcommand and flag, from bd's own command table.

Examples:
  eval "$(bd completion bash)"                          # in ~/.bashrc
  eval "$(bd completion zsh)"                           # in ~/.zshrc
  bd completion fish > ~/.config/fish/completions/bd.fish
  bd completion powershell | Out-String | Invoke-Expression`,
  async run(ctx, [shell]) {
    const { completionScript, SHELLS } = await import("../completion.ts");
    if (!(SHELLS as readonly string[]).includes(shell)) {
      throw new BdError("USAGE", `unknown shell "${shell}": use ${SHELLS.join(", ")}`);
    }
    const { allCommands } = await import("../catalog.ts");
    ctx.out.raw(completionScript(shell as (typeof SHELLS)[number], await allCommands()));
  },
};

export const completionCommands: Command[] = [completion];
