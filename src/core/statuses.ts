/** The statuses a workspace knows (`bd statuses`), and the ones its issues carry that nothing configures. */
import * as customStatusesRepo from "../store/custom_statuses.ts";
import { BUILT_IN_STATUSES, categoryIcon, type StatusCategory, type StatusInfo } from "../model/status_categories.ts";
import type { BeadsContext } from "./context.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<BeadsContext, "customStatusNames" | "customStatuses" | "db">;

export interface StatusReport {
  built_in_statuses: StatusInfo[];
  custom_statuses: { name: string; category: StatusCategory; icon: string }[];
  /** Statuses issues carry (imported data) that are neither built in nor configured. */
  unconfigured_in_use: { status: string; count: number }[];
}

/** Every status with its category and icon, and the ones in use that nothing gives a meaning. */
export function statusReport(beads: Ctx): StatusReport {
  const custom = beads.customStatuses();
  return {
    built_in_statuses: [...BUILT_IN_STATUSES],
    custom_statuses: custom.map((s) => ({ ...s, icon: categoryIcon(s.category) })),
    unconfigured_in_use: unconfiguredStatuses(beads),
  };
}

/**
 * Statuses issues carry that neither bd nor config `status.custom` defines (adopted databases'
 * `done`, `completed`, ...): they are listed by default, never ready, and they block.
 */
export function unconfiguredStatuses(beads: Ctx): { status: string; count: number }[] {
  const known = new Set([...BUILT_IN_STATUSES.map((s) => s.name), ...beads.customStatusNames()]);
  return customStatusesRepo.statusesInUse(beads.db).filter((s) => !known.has(s.status));
}
