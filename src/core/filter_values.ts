/**
 * Which statuses and issue types a filter may name: the built-in ones, the workspace's custom ones
 * (status.custom, types.custom, as the service reads them) and any value an issue in the database
 * carries (imported data may use statuses bd does not know). Anything else is a typo that would
 * match nothing, so it is an error that names the valid values, never an empty answer.
 */
import type { Db } from "../store/db.ts";
import * as issuesRepo from "../store/issues.ts";
import { validation } from "../model/errors.ts";
import { ISSUE_TYPE_ALIASES, ISSUE_TYPES, type IssueFilter, STATUSES } from "../model/types.ts";

/** The workspace's custom names, read only when a filter names a value that is not built in. */
export interface CustomNames {
  statuses: () => string[];
  types: () => string[];
}

/**
 * Returns the filter with upstream's words for built-in types (feat, adr, ...) turned into the
 * types they stand for; throws VALIDATION for a status or type in it that no issue could have.
 */
export function checkFilterValues(db: Db, filter: IssueFilter, custom: CustomNames): IssueFilter {
  const alias = (types?: string[]) => types?.map((t) => ISSUE_TYPE_ALIASES[t] ?? t);
  const checked = filter.type || filter.excludeTypes
    ? { ...filter, type: alias(filter.type), excludeTypes: alias(filter.excludeTypes) }
    : filter;
  check(db, "status", checked.status, [...STATUSES], custom.statuses);
  check(db, "issue_type", checked.type, [...ISSUE_TYPES], custom.types);
  check(db, "issue_type", checked.excludeTypes, [...ISSUE_TYPES], custom.types);
  return checked;
}

function check(
  db: Db,
  column: "status" | "issue_type",
  values: string[] | undefined,
  builtIn: string[],
  customNames: () => string[],
) {
  let custom: string[] | undefined;
  for (const value of values ?? []) {
    if (builtIn.includes(value)) continue;
    custom ??= customNames();
    if (custom.includes(value) || issuesRepo.valueInUse(db, column, value)) continue;
    const what = column === "status" ? "status" : "issue type";
    throw validation(
      `invalid ${what} "${value}": use one of ${builtIn.join(", ")}${
        custom.length ? `, or the custom ${what === "status" ? "statuses" : "types"} ${custom.join(", ")}` : ""
      }${column === "status" ? " (or --all for every status)" : ""}`,
    );
  }
}
