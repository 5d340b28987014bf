/**
 * Code a workspace needs only sometimes, loaded when it does (issue 31): the migrations, for a
 * database another bd (or an older build) wrote, and the importer, for an issues.jsonl that
 * changed since the database last read it. Each installs itself when it loads. The CLI loads one
 * when an open asks for it (CodeNotLoaded) and runs the command again; servers and the library
 * load both up front (they are imported statically there).
 */
export async function loadOnDemand(what?: "migrations" | "import"): Promise<void> {
  if (what !== "import") await import("../store/migrate.ts");
  if (what !== "migrations") await import("./sync/jsonl_import.ts");
}
