/**
 * A small HTTP load generator for the GraphQL benchmarks (run as its own process, so that client
 * and server do not share an event loop). Bounded by request count; targets one URL only.
 * Usage: deno run -A scripts/load.ts URL QUERY_JSON --requests N --concurrency C
 * Prints one JSON line: {"requests","errors","seconds","rps","p50_ms","p99_ms"}.
 */
const [url, body] = Deno.args;
const flag = (name: string, d: number) => {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : d;
};
const total = flag("--requests", 2000);
const concurrency = flag("--concurrency", 10);
if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url)) throw new Error("load targets loopback only");
const latencies: number[] = [];
let errors = 0;
let next = 0;
const start = performance.now();
async function worker() {
  while (next < total) {
    next++;
    const t = performance.now();
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      const json = await res.json();
      if (res.status !== 200 || json.errors) errors++;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - t);
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => +latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(2);
console.log(
  JSON.stringify({
    requests: total,
    errors,
    seconds: +seconds.toFixed(2),
    rps: Math.round(total / seconds),
    p50_ms: pct(0.5),
    p99_ms: pct(0.99),
  }),
);
