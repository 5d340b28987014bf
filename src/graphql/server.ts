/**
 * The GraphQL server: one yoga instance over one workspace. The schema is the core SDL merged
 * with the SDL generated for extension tables; it is rebuilt when the extension config or the
 * database's tables change, and a request in flight keeps the schema it started with.
 */
import { createSchema, createYoga, type YogaServerInstance } from "graphql-yoga";
import { GraphQLError, type GraphQLSchema, Lexer, Source, TokenKind, type ValidationContext } from "graphql";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { costLimitPlugin } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import type { Beads } from "../core/service.ts";
import { CORE_SDL } from "./schema_sdl.ts";
import { coreResolvers } from "./resolvers.ts";
import { createLoaders } from "./loaders.ts";
import { EventFeed } from "./events.ts";
import { maskError } from "./errors.ts";
import type { GqlContext } from "./context.ts";
import {
  buildExtensions,
  type ExtensionBuild,
  extensionConfigStamp,
  loadExtensionConfig,
} from "./extensions/stitch.ts";

export interface ServerOptions {
  /** Extension config file (default: `.beads/graphql.json` when it exists). */
  extensionsPath?: string;
  /** The one origin allowed cross-origin requests (CORS headers); none by default. */
  corsOrigin?: string;
  /** Limits (defaults in DEFAULT_LIMITS). */
  limits?: Partial<typeof DEFAULT_LIMITS>;
  /** Called with messages about extension config problems (warnings, not refusals). */
  warn?: (message: string) => void;
}

export const DEFAULT_LIMITS = { maxDepth: 12, maxCost: 20000, maxAliases: 30, maxTokens: 2000 };

function reject(code: string) {
  return (ctx: ValidationContext | null, err: GraphQLError) => {
    // graphql-armor words its rejections as syntax errors; they are limits.
    ctx?.reportError(new GraphQLError(err.message.replace(/^Syntax Error: /, ""), { extensions: { code } }));
  };
}

/** Refuses documents with more than `max` tokens before they are parsed into an AST. */
function tokenLimit(max: number) {
  return {
    onParse({ params }: { params: { source: string | Source } }) {
      const lexer = new Lexer(typeof params.source === "string" ? new Source(params.source) : params.source);
      let count = 0;
      try {
        while (lexer.advance().kind !== TokenKind.EOF) {
          if (++count > max) {
            throw new GraphQLError(`query too large: more than ${max} tokens`, {
              extensions: { code: "TOO_MANY_TOKENS" },
            });
          }
        }
      } catch (e) {
        if (e instanceof GraphQLError && e.extensions.code === "TOO_MANY_TOKENS") throw e;
        // A syntax error: let the parser report it with its usual message.
      }
    },
  };
}

/** Builds and caches the executable schema; rebuilds when the config or the tables change. */
export class SchemaHolder {
  private schema?: GraphQLSchema;
  private key = "";
  build?: ExtensionBuild;

  constructor(private readonly beads: Beads, private readonly opts: ServerOptions) {}

  private currentKey(): string {
    return `${this.beads.schemaVersion()}|${extensionConfigStamp(this.beads, this.opts.extensionsPath)}`;
  }

  /** Returns the schema for a new request. */
  get(): GraphQLSchema {
    const key = this.currentKey();
    if (!this.schema || key !== this.key) {
      const config = loadExtensionConfig(this.beads, this.opts.extensionsPath);
      this.build = buildExtensions(this.beads, config);
      // Each left-out entry is said, with its reason, at every (re)load: the rest serves.
      for (const p of this.build.problems) this.opts.warn?.(p.level === "error" ? `left out: ${p.message}` : p.message);
      try {
        this.schema = createSchema<GqlContext>({
          typeDefs: [CORE_SDL, ...(this.build.sdl ? [this.build.sdl] : [])],
          resolvers: [coreResolvers, ...(this.build.resolvers ? [this.build.resolvers] : [])],
        });
      } catch (e) {
        // A bad extension never takes the API down: the core schema serves, and the problem is said.
        const message = `the extension tables were left out: their schema does not build (${
          e instanceof Error ? e.message : e
        })`;
        this.build = {
          ...this.build,
          sdl: "",
          resolvers: undefined,
          problems: [...this.build.problems, { level: "error", message }],
        };
        this.opts.warn?.(message);
        this.schema = createSchema<GqlContext>({ typeDefs: [CORE_SDL], resolvers: [coreResolvers] });
      }
      this.key = key;
    }
    return this.schema;
  }
}

export interface BdServer {
  yoga: YogaServerInstance<Record<string, unknown>, GqlContext>;
  feed: EventFeed;
  schemas: SchemaHolder;
}

/** Creates the yoga server for a workspace. */
export function createBdServer(beads: Beads, opts: ServerOptions = {}): BdServer {
  const limits = { ...DEFAULT_LIMITS, ...(opts.limits ?? {}) };
  beads.checkDatabaseFile(); // remember which file is open; each request checks it is still there
  const feed = new EventFeed(beads);
  const schemas = new SchemaHolder(beads, opts);
  schemas.get(); // fail fast on a broken core schema
  const yoga = createYoga<Record<string, unknown>, GqlContext>({
    schema: () => schemas.get(),
    graphqlEndpoint: "/graphql",
    landingPage: false,
    // GraphiQL is served by web_assets.ts from an embedded copy: yoga's own loads it from a CDN.
    graphiql: false,
    cors: opts.corsOrigin ? { origin: [opts.corsOrigin], credentials: false } : false,
    // bd takes no uploads: a multipart body is a form another site could post without a preflight.
    multipart: false,
    logging: false,
    // isDev off: yoga would otherwise add stacks and internals to errors when NODE_ENV says development.
    maskedErrors: { maskError: (error, message) => maskError(error, message), isDev: false },
    context: ({ request }) => {
      beads.checkDatabaseFile();
      beads.refreshFromJsonl();
      const actor = request.headers.get("x-bd-actor")?.trim();
      const view = actor ? beads.as(actor) : beads;
      // Informational only: serve.ts checked the token and already made its name the actor.
      const tokenName = request.headers.get("x-bd-token-name") ?? undefined;
      return { beads: view, loaders: createLoaders(view), feed, extLoaders: new Map(), tokenName };
    },
    plugins: [
      tokenLimit(limits.maxTokens),
      maxDepthPlugin({
        n: limits.maxDepth,
        ignoreIntrospection: true,
        flattenFragments: true,
        propagateOnRejection: false,
        onReject: [reject("QUERY_TOO_DEEP")],
      }),
      costLimitPlugin({
        maxCost: limits.maxCost,
        ignoreIntrospection: true,
        propagateOnRejection: false,
        onReject: [reject("QUERY_TOO_COSTLY")],
      }),
      maxAliasesPlugin({ n: limits.maxAliases, propagateOnRejection: false, onReject: [reject("TOO_MANY_ALIASES")] }),
      {
        // The server's own writes do not change data_version for its own connection: publish them now.
        onExecute: () => ({ onExecuteDone: () => feed.poll(true) }),
      },
    ],
  });
  return { yoga, feed, schemas };
}
