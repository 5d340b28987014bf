/**
 * The status parts of the ready, blocked and default-list rules as SQL, in one place. Built-in
 * statuses keep their fixed meaning; custom ones (table `custom_statuses`, kept from config
 * `status.custom`) count by their category (model/status_categories.ts). Each fragment keeps the
 * built-in test as its own term, so the partial indexes over `status = 'open'` and
 * `status <> 'closed'` still serve the queries that name them.
 */

const customOf = (categories: string) => `(SELECT name FROM custom_statuses WHERE category IN (${categories}))`;

/** True when the status is terminal: `closed`, or a custom `done` one. Such an issue blocks nothing. */
export const isDone = (col: string) => `(${col} = 'closed' OR ${col} IN ${customOf("'done'")})`;

/** True when the status is not terminal (the issue is active work and blocks its dependents). */
export const isNotDone = (col: string) => `(${col} <> 'closed' AND ${col} NOT IN ${customOf("'done'")})`;

/** True when the default list shows the status: not `closed`, not a custom `done` or `frozen` one. */
export const isListedByDefault = (col: string) =>
  `(${col} <> 'closed' AND ${col} NOT IN ${customOf("'done', 'frozen'")})`;

/** True when the status is one `ready` takes: `open`, or a custom `active` one. */
export const isReadyStatus = (col: string) => `(${col} = 'open' OR ${col} IN ${customOf("'active'")})`;

/** The custom `active` statuses' condition alone (ready's second walk, beside the one over `open`). */
export const isCustomActive = (col: string) => `${col} IN ${customOf("'active'")}`;
