/**
 * A TCP proxy on 127.0.0.1 that adds latency, for measuring and testing `bd --server` over a slow
 * link without the kernel's netem: every chunk waits `oneWayMs` before it is passed on (in each
 * direction, in order), and a new connection waits one extra round trip before it is accepted
 * (the handshake that loopback does not cost). It counts connections and HTTP requests.
 *
 * Usage: deno run -A scripts/delay_proxy.ts TARGET_PORT [--delay MS] [--port P]
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import process from "node:process";

export interface DelayProxy {
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** HTTP requests seen so far (request lines from clients). */
  requests(): number;
  close(): Promise<void>;
}

const REQUEST_LINE = /(?:^|\r\n)(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+ HTTP\/1\.[01]\r\n/g;

/** Starts a proxy to 127.0.0.1:`targetPort` that delays each direction by `oneWayMs`. */
export function startDelayProxy(targetPort: number, oneWayMs: number, listenPort = 0): Promise<DelayProxy> {
  let connections = 0, requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    connections++;
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    // The handshake's round trip: the client's first bytes wait for it.
    setTimeout(() => {
      const upstream = connect(targetPort, "127.0.0.1");
      sockets.add(upstream);
      upstream.on("close", () => sockets.delete(upstream));
      pipeDelayed(client, upstream, oneWayMs, (chunk) => {
        requests += (chunk.toString("latin1").match(REQUEST_LINE) ?? []).length;
      });
      pipeDelayed(upstream, client, oneWayMs);
      client.resume();
    }, 2 * oneWayMs);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(listenPort, "127.0.0.1", () => {
      const address = server.address();
      resolve({
        port: typeof address === "object" && address ? address.port : listenPort,
        connections: () => connections,
        requests: () => requests,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Passes `from`'s data to `to`, each chunk `delayMs` later, in order; ends and errors travel too. */
function pipeDelayed(from: Socket, to: Socket, delayMs: number, seen?: (chunk: Buffer) => void): void {
  let chain = Promise.resolve();
  const later = (f: () => void) => {
    const at = Date.now() + delayMs;
    chain = chain.then(() => new Promise((r) => setTimeout(() => (f(), r()), Math.max(0, at - Date.now()))));
  };
  from.on("data", (chunk: Buffer) => {
    seen?.(chunk);
    later(() => to.writable && to.write(chunk));
  });
  from.on("end", () => later(() => to.end()));
  from.on("error", () => later(() => to.destroy()));
  to.on("error", () => from.destroy());
}

if (import.meta.main) {
  const target = Number(process.argv[2]);
  const flag = (name: string, d: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : d;
  };
  if (!Number.isInteger(target) || target <= 0) {
    console.error("usage: delay_proxy.ts TARGET_PORT [--delay MS] [--port P]");
    process.exit(2);
  }
  const proxy = await startDelayProxy(target, Number(flag("--delay", "50")), Number(flag("--port", "0")));
  console.log(JSON.stringify({ port: proxy.port }));
}
