import assert from "node:assert/strict";
import { guardPolicy, refusal } from "../../src/graphql/request_guard.ts";

const local = guardPolicy({ host: "127.0.0.1", port: 4000 });
const check = (headers: Record<string, string>, method = "GET", policy = local) =>
  refusal(policy, { method, headers })?.code;

Deno.test("guard: loopback names on bd's port pass; any other name or port is a foreign Host", () => {
  for (const host of ["127.0.0.1:4000", "localhost:4000", "[::1]:4000", "LOCALHOST:4000", "127.0.0.1"]) {
    assert.equal(check({ host }), undefined, host);
  }
  for (const host of ["evil.example:4000", "evil.example", "127.0.0.1:4001", "localhost:80", "", "a:b:c"]) {
    assert.equal(check({ host }), "FORBIDDEN_HOST", host);
  }
  assert.equal(refusal(local, { method: "GET", headers: {} })?.status, 403, "no Host at all");
});

Deno.test("guard: --allow-host adds a name (any port) or a name:port; a wildcard bind adds this machine's names", () => {
  const proxied = guardPolicy({ host: "127.0.0.1", port: 4000, allowHosts: ["bd.example.test", "tunnel.test:8443"] });
  assert.equal(check({ host: "bd.example.test" }, "GET", proxied), undefined);
  assert.equal(check({ host: "bd.example.test:443" }, "GET", proxied), undefined);
  assert.equal(check({ host: "tunnel.test:8443" }, "GET", proxied), undefined);
  assert.equal(check({ host: "tunnel.test:9999" }, "GET", proxied), "FORBIDDEN_HOST");
  const wide = guardPolicy({ host: "0.0.0.0", port: 4000, hostname: "devbox" });
  assert.equal(check({ host: "devbox:4000" }, "GET", wide), undefined);
  assert.equal(check({ host: "127.0.0.1:4000" }, "GET", wide), undefined);
  assert.equal(check({ host: "evil.example:4000" }, "GET", wide), "FORBIDDEN_HOST");
  const v6 = guardPolicy({ host: "::1", port: 4000 });
  assert.equal(check({ host: "[::1]:4000" }, "GET", v6), undefined);
});

Deno.test("guard: bd's own pages' Origin passes; another site's, null and other schemes are refused", () => {
  const host = "127.0.0.1:4000";
  for (const origin of ["http://127.0.0.1:4000", "http://localhost:4000", "http://[::1]:4000"]) {
    assert.equal(check({ host, origin }, "GET"), undefined, origin);
  }
  for (const origin of ["http://evil.example", "http://127.0.0.1:4001", "null", "file://", "chrome-extension://x"]) {
    assert.equal(check({ host, origin }, "GET"), "FORBIDDEN_ORIGIN", origin);
    assert.equal(check({ host, origin, "content-type": "application/json" }, "POST"), "FORBIDDEN_ORIGIN", origin);
  }
  const granted = guardPolicy({ host: "127.0.0.1", port: 4000, corsOrigin: "https://dash.example.test" });
  assert.equal(check({ host, origin: "https://dash.example.test" }, "OPTIONS", granted), undefined);
  assert.equal(check({ host, origin: "https://dash.example.test:444" }, "OPTIONS", granted), "FORBIDDEN_ORIGIN");
});

Deno.test("guard: a body must be application/json; forms, text and multipart get 415", () => {
  const host = "127.0.0.1:4000";
  assert.equal(check({ host, "content-type": "application/json" }, "POST"), undefined);
  assert.equal(check({ host, "content-type": "Application/JSON; charset=utf-8" }, "POST"), undefined);
  for (
    const type of ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", "", "json"]
  ) {
    const r = refusal(local, { method: "POST", headers: { host, "content-type": type } });
    assert.equal(r?.status, 415, type);
    assert.equal(r?.code, "UNSUPPORTED_MEDIA_TYPE");
  }
  assert.equal(check({ host }, "PUT"), "UNSUPPORTED_MEDIA_TYPE");
  assert.equal(check({ host }, "GET"), undefined, "GET carries no body");
});
