/**
 * How the merge rule identifies the records of a JSONL file: a kind digit (so issues sort before
 * memories, memories before records of kinds bd does not know, and those before shared settings),
 * then the issue's ID, the memory's or setting's key, or the record's text. Shared by the merge rule (jsonl_merge.ts) and the pass that
 * keeps two issues under one ID apart (id_collisions.ts).
 */

export const ISSUE = "0";
export const MEMORY = "1";
export const OTHER = "2";
export const CONFIG = "3";

/** One parsed line: its identity, its object and its original text. */
export interface Entry {
  key: string;
  obj: Record<string, unknown>;
  line: string;
}
