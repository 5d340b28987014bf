/**
 * `bd completion bash|zsh|fish|powershell`: shell completion scripts generated from the command
 * table, so every command, subcommand and flag completes, and a new one does without more code.
 */
import type { Command, Flag } from "./command.ts";
import { GLOBAL_FLAGS } from "./args.ts";

export const SHELLS = ["bash", "zsh", "fish", "powershell"] as const;
export type Shell = (typeof SHELLS)[number];

const longFlags = (flags: Record<string, Flag> = {}) =>
  Object.entries(flags).flatMap(([name, f]) => [`--${name}`, ...(f.short ? [`-${f.short}`] : [])]);

/** Words a shell may print unquoted in a word list (commands, flags). */
const safe = (w: string) => /^[A-Za-z0-9_.:-]+$/.test(w);

/** The completion script of `shell` for these commands. */
export function completionScript(shell: Shell, commands: Command[]): string {
  const top = [...new Set(commands.flatMap((c) => [c.path[0], ...(c.aliases ?? []).map((a) => a[0])]))].filter(safe)
    .sort();
  const groups = new Map<string, string[]>();
  for (const c of commands) {
    if (c.path.length > 1) groups.set(c.path[0], [...(groups.get(c.path[0]) ?? []), c.path.slice(1).join(" ")]);
  }
  const global = longFlags(GLOBAL_FLAGS).filter(safe);
  const flagsOf = (c: Command) => longFlags(c.flags).filter(safe).join(" ");
  if (shell === "bash" || shell === "zsh") {
    const cases = commands.map((c) =>
      `    ${[c.path, ...(c.aliases ?? [])].map((p) => `"${p.join(" ")}"`).join("|")}) flags="${flagsOf(c)}" ;;`
    );
    const bash = `# bd completion (bash): source this file, or: eval "$(bd completion bash)"
_bd() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" w1="\${COMP_WORDS[1]}" w2="\${COMP_WORDS[2]}" flags=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${top.join(" ")}" -- "$cur")); return
  fi
  case "$w1" in
${
      [...groups].map(([g, subs]) =>
        `    ${g}) if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "${
          subs.join(" ")
        }" -- "$cur")); return; fi; w1="$w1 $w2" ;;`
      ).join("\n")
    }
  esac
  case "$w1" in
${cases.join("\n")}
  esac
  COMPREPLY=($(compgen -W "$flags ${global.join(" ")}" -- "$cur"))
}
complete -F _bd bd
`;
    return shell === "bash" ? bash : `#compdef bd
# bd completion (zsh): eval "$(bd completion zsh)", or save as _bd on your fpath
autoload -U +X bashcompinit && bashcompinit
${bash.split("\n").slice(1).join("\n")}`;
  }
  if (shell === "fish") {
    const lines = [
      "# bd completion (fish): bd completion fish > ~/.config/fish/completions/bd.fish",
      "complete -c bd -f",
    ];
    for (const c of commands) {
      if (c.path.length === 1) {
        lines.push(`complete -c bd -n __fish_use_subcommand -a ${c.path[0]} -d ${fishQuote(c.summary)}`);
      } else {
        lines.push(
          `complete -c bd -n "__fish_seen_subcommand_from ${c.path[0]}" -a ${c.path[1]} -d ${fishQuote(c.summary)}`,
        );
      }
      for (const [name, f] of Object.entries(c.flags ?? {})) {
        lines.push(
          `complete -c bd -n "__fish_seen_subcommand_from ${c.path[c.path.length - 1]}" -l ${name}${
            f.short ? ` -s ${f.short}` : ""
          }${f.type === "string" ? " -r" : ""} -d ${fishQuote(f.help)}`,
        );
      }
    }
    for (const [name, f] of Object.entries(GLOBAL_FLAGS)) {
      lines.push(`complete -c bd -l ${name}${f.short ? ` -s ${f.short}` : ""} -d ${fishQuote(f.help)}`);
    }
    for (const [g] of groups) {
      if (!commands.some((c) => c.path.length === 1 && c.path[0] === g)) {
        lines.push(`complete -c bd -n __fish_use_subcommand -a ${g}`);
      }
    }
    return lines.join("\n") + "\n";
  }
  const table = commands.map((c) =>
    `    '${c.path.join(" ")}' = @(${longFlags(c.flags).filter(safe).map((f) => `'${f}'`).join(", ")})`
  );
  return `# bd completion (PowerShell): bd completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName bd -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $top = @(${top.map((w) => `'${w}'`).join(", ")})
  $subs = @{
${[...groups].map(([g, subs]) => `    '${g}' = @(${subs.map((s) => `'${s}'`).join(", ")})`).join("\n")}
  }
  $flags = @{
${table.join("\n")}
  }
  $global = @(${global.map((f) => `'${f}'`).join(", ")})
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  if ($wordToComplete -ne '' -and $words.Count -gt 0) { $words = $words[0..($words.Count - 2)] }
  if ($words.Count -eq 0) { $candidates = $top }
  elseif ($subs.ContainsKey($words[0]) -and $words.Count -eq 1) { $candidates = $subs[$words[0]] }
  else {
    $key = if ($subs.ContainsKey($words[0])) { "$($words[0]) $($words[1])" } else { $words[0] }
    $candidates = @($flags[$key]) + $global
  }
  $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`;
}

function fishQuote(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}
