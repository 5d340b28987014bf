/**
 * Which statuses and issue types a filter may name: the built-in ones, the ones configured
 * (`status.custom`, `types.custom`) and any value an issue in the database carries (imported data
 * may use statuses bd does not know). Anything else is a typo that would match nothing, so it is
 * an error that names the valid values, never an empty answer.
 */
import type { Db } from "../store/db.ts";
import * as issuesRepo from "../store/issues.ts";
import * as meta from "../store/meta.ts";
import { validation } from "../model/errors.ts";
import { ISSUE_TYPE_ALIASES, ISSUE_TYPES, type IssueFilter, STATUSES } from "../model/types.ts";

/** Names from a comma-separated config value; `name:category` entries give their name. */
function configured(db: Db, key: string): string[] {
  const value = meta.getKey(db, "config", key) ?? "";
  return value.split(",").map((s) => s.split(":")[0].trim()).filter(Boolean);
}

/**
 * Returns the filter with upstream's words for built-in types (feat, adr, ...) turned into the
 * types they stand for; throws VALIDATION for a status or type in it that no issue could have.
 */
export function checkFilterValues(db: Db, filter: IssueFilter): IssueFilter {
  const alias = (types?: string[]) => types?.map((t) => ISSUE_TYPE_ALIASES[t] ?? t);
  const checked = filter.type || filter.excludeTypes
    ? { ...filter, type: alias(filter.type), excludeTypes: alias(filter.excludeTypes) }
    : filter;
  check(db, "status", checked.status, [...STATUSES], "status.custom");
  check(db, "issue_type", checked.type, [...ISSUE_TYPES], "types.custom");
  check(db, "issue_type", checked.excludeTypes, [...ISSUE_TYPES], "types.custom");
  return checked;
}

function check(
  db: Db,
  column: "status" | "issue_type",
  values: string[] | undefined,
  builtIn: string[],
  customKey: string,
) {
  // The config and the database are read only for a value that is not built in (most calls: none).
  let custom: string[] | undefined;
  for (const value of values ?? []) {
    if (builtIn.includes(value)) continue;
    custom ??= configured(db, customKey);
    if (custom.includes(value) || issuesRepo.valueInUse(db, column, value)) continue;
    const what = column === "status" ? "status" : "issue type";
    throw validation(
      `invalid ${what} "${value}": use one of ${builtIn.join(", ")}${
        custom.length ? `, or the custom ${what === "status" ? "statuses" : "types"} ${custom.join(", ")}` : ""
      }${column === "status" ? " (or --all for every status)" : ""}`,
    );
  }
}
