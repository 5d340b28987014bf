/** What every resolver receives: the actor's view of the workspace and this request's loaders. */
import type { Beads } from "../core/service.ts";
import type { Loaders } from "./loaders.ts";
import type { EventFeed } from "./events.ts";

export interface GqlContext {
  beads: Beads;
  loaders: Loaders;
  feed: EventFeed;
  /** Loaders for extension tables, created on demand per request. */
  extLoaders: Map<string, unknown>;
  /** The named token the request came with (set by serve.ts after checking it), if any. */
  tokenName?: string;
}

/** The largest page a client may ask for (`first`, `limit`). */
export const MAX_PAGE = 100;
