/** Naming rules for extension tables: table → type, column → field (PostGraphile-style). */

/** `agent_id` → `agentId`. */
export function camelCase(name: string): string {
  return name.toLowerCase().replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/_+$/, "");
}

/** `myapp_executions` → `MyappExecutions`. */
export function pascalCase(name: string): string {
  const c = camelCase(name);
  return c.charAt(0).toUpperCase() + c.slice(1);
}

/** Returns the English singular of the last word (`executions` → `execution`, `entries` → `entry`). */
export function singular(word: string): string {
  if (/ies$/i.test(word)) return word.slice(0, -3) + "y";
  if (/(ss|us|is)$/i.test(word)) return word;
  if (/(sh|ch|x|ss)es$/i.test(word)) return word.slice(0, -2);
  if (/s$/i.test(word)) return word.slice(0, -1);
  return word;
}

/** `myapp_executions` → `MyappExecution`, `vc_execution_state` → `VcExecutionState`. */
export function typeNameFor(table: string): string {
  const parts = table.split("_");
  parts[parts.length - 1] = singular(parts[parts.length - 1]);
  return pascalCase(parts.join("_"));
}

/** `MyappExecution` → `myappExecution`. */
export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** True when a name is a valid GraphQL name. */
export function isGraphqlName(name: string): boolean {
  return /^[_A-Za-z][_0-9A-Za-z]*$/.test(name) && !name.startsWith("__");
}
