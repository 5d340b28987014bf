/**
 * Flag parsing with the behaviour of bd's (pflag's): `--name value`, `--name=value`, `-n value`,
 * `-nvalue`, grouped boolean shorts (`-qr`), repeatable flags, `--` ending the flags. Written here
 * rather than taken from node:util, whose load alone cost the single binary ~1 ms per command.
 */

export interface FlagSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** A flag the parser refused; `message` is in bd's words. */
export class FlagError extends Error {}

/** Parses argv into flag values and positionals, refusing unknown flags. */
export function parseFlags(
  argv: string[],
  specs: Record<string, FlagSpec>,
): { values: FlagValues; positionals: string[] } {
  const byShort = new Map<string, string>();
  for (const [name, s] of Object.entries(specs)) if (s.short) byShort.set(s.short, name);
  const values: FlagValues = {};
  const positionals: string[] = [];
  const set = (name: string, value: string | boolean) => {
    if (specs[name].multiple && typeof value === "string") {
      values[name] = [...((values[name] as string[] | undefined) ?? []), value];
    } else values[name] = value;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const spec = specs[name];
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (spec.type === "boolean") {
        if (eq >= 0) {
          const v = a.slice(eq + 1);
          if (v !== "true" && v !== "false") throw new FlagError(`flag --${name} takes no value (got "${v}")`);
          set(name, v === "true");
        } else set(name, true);
      } else if (eq >= 0) set(name, a.slice(eq + 1));
      else if (i + 1 < argv.length) set(name, argv[++i]);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const name = byShort.get(a[k]);
        if (!name) throw new FlagError(`unknown shorthand flag: '${a[k]}' in ${a}`);
        if (specs[name].type === "boolean") {
          set(name, true);
          continue;
        }
        const rest = a.slice(k + 1).replace(/^=/, "");
        if (rest) set(name, rest);
        else if (i + 1 < argv.length) set(name, argv[++i]);
        else throw new FlagError(`flag needs an argument: '${a[k]}' in ${a}`);
        break;
      }
      continue;
    }
    positionals.push(a);
  }
  return { values, positionals };
}
