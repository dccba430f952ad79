/**
 * The browser-login callback rule (`src/internal/login/callback.ts`), as a pure function: only this
 * login's state ends it, a request token must match when present, the query is otherwise
 * optional, and the Host must be one of the allowed ones.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import { callbackPath, checkCallback, makeState } from "../src/internal/login/callback.js"

const state = "0123456789abcdef0123456789abcdef"
const requestToken = "a".repeat(40)
const path = callbackPath("/callback", state)
const check = (url: string, extra: { readonly host?: string; readonly method?: string } = {}) =>
  checkCallback({
    path: "/callback",
    state,
    requestToken,
    url,
    allowedHosts: ["127.0.0.1:8788", "localhost:8788"],
    host: "127.0.0.1:8788",
    ...extra
  })

const rejected = (result: Result.Result<unknown, { readonly reason: string }>) =>
  Result.match(result, { onFailure: (rejection) => rejection.reason, onSuccess: () => "accepted" })

describe("checkCallback", () => {
  it("accepts this login's state with TMDB's v3 query, an empty token (v4) or no query at all", () => {
    assert.deepStrictEqual(check(`${path}?request_token=${requestToken}&approved=true`), Result.succeed("approved"))
    assert.deepStrictEqual(check(`${path}?request_token=`), Result.succeed("approved"))
    assert.deepStrictEqual(check(path), Result.succeed("approved"))
    assert.deepStrictEqual(
      check(`http://localhost:8788${path}`, { host: "LOCALHOST:8788" }),
      Result.succeed("approved")
    )
    assert.deepStrictEqual(check(`${path}?request_token=${requestToken}&denied=true`), Result.succeed("denied"))
    assert.deepStrictEqual(check(`${path}?denied=true`), Result.succeed("denied"))
  })

  it("rejects another state, no state, another token, another host, another method", () => {
    assert.strictEqual(rejected(check("/callback?denied=true")), "not this login's callback path")
    assert.strictEqual(rejected(check(`/callback?request_token=${requestToken}`)), "not this login's callback path")
    assert.strictEqual(rejected(check(`/callback/${"f".repeat(32)}?denied=true`)), "not this login's callback path")
    assert.strictEqual(rejected(check(`${path}/extra`)), "not this login's callback path")
    assert.strictEqual(rejected(check(`${path.slice(0, -1)}?denied=true`)), "not this login's callback path")
    assert.strictEqual(
      rejected(check(`${path}?request_token=${"b".repeat(40)}&approved=true`)),
      "its request_token is not the one this login created"
    )
    assert.strictEqual(
      rejected(check(`${path}?request_token=${requestToken}&request_token=${"b".repeat(40)}`)),
      "its request_token is not the one this login created"
    )
    assert.strictEqual(rejected(check(path, { host: "evil.example:8788" })), "sent to another host")
    assert.strictEqual(rejected(check(path, { host: "127.0.0.1" })), "sent to another host")
    assert.strictEqual(
      rejected(checkCallback({ path: "/callback", state, requestToken, url: path, allowedHosts: ["127.0.0.1:1"] })),
      "sent to another host"
    )
    assert.strictEqual(rejected(check(path, { method: "POST" })), "not a GET request")
    assert.strictEqual(rejected(check(`${path}?approved=true&denied=true`)), "both approved and denied")
  })

  it("without allowedHosts (a page in a browser) the Host is not checked", () => {
    assert.deepStrictEqual(
      checkCallback({ path: "/app/callback/", state, requestToken, url: `https://app.example/app/callback/${state}` }),
      Result.succeed("approved")
    )
  })

  it.effect("a state is 32 random hex characters, fresh each time", () =>
    Effect.gen(function*() {
      const states = yield* Effect.all(Array.from({ length: 50 }, () => makeState))
      for (const s of states) assert.match(s, /^[0-9a-f]{32}$/)
      assert.strictEqual(new Set(states).size, states.length)
    }))
})
