/** In-process GraphQL helpers: a workspace, its yoga server, and a `gql` call through yoga.fetch. */
import { initWorkspace } from "../../src/core/init.ts";
import type { Beads } from "../../src/core/service.ts";
import { createBdServer, type ServerOptions } from "../../src/graphql/server.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

export interface Gql {
  beads: Beads;
  dir: string;
  gql(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ data?: Json; errors?: Json }>;
  close(): void;
}

/** Returns a fresh workspace with an in-process server. */
export function gqlWorkspace(prefix = "g", opts: ServerOptions = {}): Gql {
  const dir = Deno.makeTempDirSync({ prefix: "bd-gql-" });
  const { beads } = initWorkspace({ cwd: dir, env: {}, prefix, actor: "server" });
  const server = createBdServer(beads, opts);
  return {
    beads,
    dir,
    async gql(query, variables, headers = {}) {
      const res = await server.yoga.fetch(
        new Request("http://localhost/graphql", {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ query, variables }),
        }),
        {},
      );
      return await res.json();
    },
    close() {
      server.feed.close();
      beads.close();
    },
  };
}
