/**
 * The browser redirect login (`tmdb-effect/browser`) against the in-memory simulator: the
 * "browser" GETs the approval URL with the simulator's scripted decision and takes the redirect
 * it answers as the URL of the return page.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, Option, Redacted } from "effect"
import { HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { Account, Authentication, AuthV4, SessionStore, TmdbSession } from "tmdb-effect"
import { BrowserSessionStore, RedirectLogin } from "tmdb-effect/browser"
import { TmdbSimulator } from "tmdb-effect/testing"
import { LoginDenied } from "../src/internal/login/denied.js"
import { failureTag } from "./utils/collector.js"
import { checkLogoutRule } from "./utils/logoutRule.js"

const returnTo = "http://127.0.0.1:5173/callback"
/** Node has no `location`: the return page's origin is allowed explicitly, as in any test. */
const allowedOrigins = ["http://127.0.0.1:5173"]
const simulator = TmdbSimulator.TmdbSimulator

const env = Layer.mergeAll(
  TmdbSimulator.layer(),
  TmdbSimulator.credentials,
  RedirectLogin.layerMemory,
  SessionStore.layerMemory
)

/** Where the approval page sends the browser after the scripted decision. */
const approve = (approvalUrl: string, decision: "approve" | "deny" = "approve") =>
  Effect.gen(function*() {
    yield* (yield* simulator).scriptApproval({ decision })
    const response = yield* (yield* HttpClient.HttpClient).get(approvalUrl)
    assert.strictEqual(response.status, 302)
    return response.headers["location"] ?? ""
  })

const tagOf = (exit: Exit.Exit<unknown, unknown>) => failureTag(exit) ?? "success"

const requestsTo = (path: string) =>
  Effect.map(Effect.flatMap(simulator, (s) => s.requests), (all) => all.filter((r) => r.path === path).length)

describe("RedirectLogin", () => {
  it.effect("v4: start → approval page → back with this login's state → an access token with account_id", () =>
    Effect.gen(function*() {
      const approvalUrl = yield* RedirectLogin.start({ returnTo, allowedOrigins })
      assert.match(approvalUrl, /^https:\/\/www\.themoviedb\.org\/auth\/access\?request_token=/)
      const [sent] = (yield* (yield* simulator).requests).filter((r) => r.path === "/4/auth/request_token")
      const redirectTo = (sent?.body as { redirect_to: string }).redirect_to
      assert.match(redirectTo, /^http:\/\/127\.0\.0\.1:5173\/callback\/[0-9a-f]{32}$/)
      const back = yield* approve(approvalUrl)
      assert.isTrue(back.startsWith(redirectTo))
      const login = yield* RedirectLogin.complete(back)
      assert.strictEqual(login.kind, "v4AccessToken")
      assert.isString(login.account_id)
      // the token works: TMDB deletes it
      yield* AuthV4.deleteAccessToken({ access_token: login.session_id })
    }).pipe(Effect.provide(env)))

  it.effect("v3: the session works for account calls", () =>
    Effect.gen(function*() {
      const approvalUrl = yield* RedirectLogin.start({ returnTo, allowedOrigins, version: "v3" })
      assert.match(approvalUrl, /\/authenticate\/\w+\?redirect_to=http%3A%2F%2F127\.0\.0\.1%3A5173%2Fcallback%2F/)
      const login = yield* RedirectLogin.complete(yield* approve(approvalUrl))
      assert.strictEqual(login.kind, "session")
      const account = yield* Account.details({ session_id: login.session_id })
      assert.strictEqual(account.username, TmdbSimulator.defaultAccount.username)
    }).pipe(Effect.provide(env)))

  it.effect("the return page's TmdbSession: layerFromLogin(complete(…)), v4 converted to a v3 session, and v3", () =>
    Effect.gen(function*() {
      for (const version of ["v4", "v3"] as const) {
        const back = yield* approve(yield* RedirectLogin.start({ returnTo, allowedOrigins, version }))
        const account = yield* Account.details().pipe(
          Effect.provide(TmdbSession.layerFromLogin(RedirectLogin.complete(back)))
        )
        assert.strictEqual(account.username, TmdbSimulator.defaultAccount.username, version)
      }
      assert.strictEqual(yield* requestsTo("/3/authentication/session/convert/4"), 1) // v4 only
    }).pipe(Effect.provide(env)))

  it.effect("a callback completes once: the second is CallbackReplayed and asks TMDB nothing", () =>
    Effect.gen(function*() {
      const back = yield* approve(yield* RedirectLogin.start({ returnTo, allowedOrigins }))
      yield* RedirectLogin.complete(back)
      const exchanges = yield* requestsTo("/4/auth/access_token")
      assert.strictEqual(tagOf(yield* Effect.exit(RedirectLogin.complete(back))), "CallbackReplayed")
      assert.strictEqual(yield* requestsTo("/4/auth/access_token"), exchanges)
    }).pipe(Effect.provide(env)))

  it.effect("denied on the approval page: LoginDenied, v3 and v4", () =>
    Effect.gen(function*() {
      for (const version of ["v3", "v4"] as const) {
        const back = yield* approve(yield* RedirectLogin.start({ returnTo, allowedOrigins, version }), "deny")
        const exit = yield* Effect.exit(RedirectLogin.complete(back))
        assert.strictEqual(tagOf(exit), "LoginDenied")
        // one class for both entries: the one tmdb-effect/node's BrowserLogin exports too
        assert.strictEqual(RedirectLogin.LoginDenied, LoginDenied)
        assert.instanceOf(yield* Effect.flip(exit), LoginDenied)
      }
    }).pipe(Effect.provide(env)))

  it.effect("a forged callback is ForeignCallback, sends nothing, and leaves the real login to complete", () =>
    Effect.gen(function*() {
      const back = yield* approve(yield* RedirectLogin.start({ returnTo, allowedOrigins, version: "v3" }))
      const real = new URL(back)
      const otherState = `${returnTo}/${"f".repeat(32)}${real.search}`
      const otherToken = `${real.origin}${real.pathname}?request_token=${"a".repeat(40)}&approved=true`
      const otherHost = back.replace("127.0.0.1:5173", "evil.example")
      const otherPath = back.replace("/callback/", "/elsewhere/")
      const deniedWithoutState = `${returnTo}?denied=true`
      for (
        const forged of [otherState, otherToken, otherHost, otherPath, deniedWithoutState, "/callback", "not a url"]
      ) {
        assert.strictEqual(tagOf(yield* Effect.exit(RedirectLogin.complete(forged))), "ForeignCallback", forged)
      }
      assert.strictEqual(yield* requestsTo("/3/authentication/session/new"), 0)
      assert.strictEqual((yield* RedirectLogin.complete(back)).kind, "session")
    }).pipe(Effect.provide(env)))

  it.effect("past the token's lifetime: LoginExpired before any request (TestClock)", () =>
    Effect.gen(function*() {
      const back = yield* approve(yield* RedirectLogin.start({ returnTo, allowedOrigins }))
      yield* TestClock.adjust("15 minutes")
      assert.strictEqual(tagOf(yield* Effect.exit(RedirectLogin.complete(back))), "LoginExpired")
      assert.strictEqual(yield* requestsTo("/4/auth/access_token"), 0)
    }).pipe(Effect.provide(env)))

  it.effect("a token TMDB no longer accepts (used elsewhere): LoginExpired", () =>
    Effect.gen(function*() {
      const approvalUrl = yield* RedirectLogin.start({ returnTo, allowedOrigins, version: "v3" })
      const back = yield* approve(approvalUrl)
      yield* Authentication.createSession({ request_token: new URL(back).searchParams.get("request_token") ?? "" })
      assert.strictEqual(tagOf(yield* Effect.exit(RedirectLogin.complete(back))), "LoginExpired")
    }).pipe(Effect.provide(env)))

  it.effect("no login started in this tab: NoPendingLogin", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(RedirectLogin.complete(`${returnTo}/${"0".repeat(32)}`))
      assert.strictEqual(tagOf(exit), "NoPendingLogin")
    }).pipe(Effect.provide(env)))

  it.effect("a return URL with a query, a fragment or another scheme is InvalidInput, before any request", () =>
    Effect.gen(function*() {
      for (const bad of [`${returnTo}?x=1`, `${returnTo}#top`, "javascript:alert(1)", "/callback", ""]) {
        assert.strictEqual(
          tagOf(yield* Effect.exit(RedirectLogin.start({ returnTo: bad, allowedOrigins }))),
          "InvalidInput",
          bad
        )
      }
      assert.strictEqual((yield* (yield* simulator).requests).length, 0)
    }).pipe(Effect.provide(env)))

  it.effect("v4 with api_key credentials: BearerTokenRequired; v3 works with them", () =>
    Effect.gen(function*() {
      assert.strictEqual(
        tagOf(yield* Effect.exit(RedirectLogin.start({ returnTo, allowedOrigins }))),
        "BearerTokenRequired"
      )
      const login = yield* RedirectLogin.complete(
        yield* approve(yield* RedirectLogin.start({ returnTo, allowedOrigins, version: "v3" }))
      )
      assert.strictEqual(login.kind, "session")
    }).pipe(Effect.provide(Layer.merge(env, TmdbSimulator.apiKeyCredentials))))

  it.effect("the login saved in the store survives; logout ends it at TMDB and removes it", () =>
    Effect.gen(function*() {
      const store = yield* SessionStore.SessionStore
      yield* store.save(
        yield* RedirectLogin.complete(yield* approve(yield* RedirectLogin.start({ returnTo, allowedOrigins })))
      )
      const stored = yield* store.load
      assert.isTrue(Option.isSome(stored))
      const outcome = yield* SessionStore.logout()
      assert.strictEqual(outcome._tag, "LoggedOut")
      assert.isTrue(Option.isNone(yield* store.load))
      const again = yield* Effect.exit(
        AuthV4.deleteAccessToken({ access_token: Option.getOrThrow(stored).session_id })
      )
      assert.strictEqual(tagOf(again), "ResourceNotFound")
    }).pipe(Effect.provide(env)))
})

/**
 * Runs `effect` as on a page whose `location.origin` is `origin` (Node has no `location`), and
 * removes it after.
 */
const onPage = (origin: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => Object.defineProperty(globalThis, "location", { value: { origin }, configurable: true })),
    () => effect,
    () => Effect.sync(() => void Reflect.deleteProperty(globalThis, "location"))
  )

/** Why `start` refused `options`; a login it started fails the test, naming where it would go back to. */
const refusal = (options: RedirectLogin.StartOptions) =>
  RedirectLogin.start(options).pipe(
    Effect.flatMap(() => Effect.die(new Error(`started a login back to ${String(options.returnTo)}`))),
    Effect.flip
  )

/** Refused as `InvalidInput` on `field`, with a reason that does not repeat the value. */
const assertRefused = (
  error: RedirectLogin.StartError,
  field: "returnTo" | "allowedOrigins",
  value: unknown,
  what: string
) => {
  assert.deepInclude(error, { _tag: "InvalidInput", field }, what)
  const message = error.message.toLowerCase()
  for (const part of ["evil", "alert", "script", "passwd", "10.0.0.1", "app.example@", "user:"]) {
    assert.notInclude(message, part, what)
  }
  if (typeof value === "string" && value !== "") assert.notInclude(error.message, value, what)
}

/** Nothing reached TMDB, and no login is in progress in this tab. */
const assertNothingSentOrStored = Effect.gen(function*() {
  assert.deepStrictEqual((yield* (yield* simulator).requests).map((r) => r.path), [])
  assert.isFalse(yield* Effect.flatMap(RedirectLogin.PendingStore, (kv) => kv.has(RedirectLogin.pendingKey)))
})

describe("RedirectLogin's return URL: on the page's origin or an allowed one, https or loopback http", () => {
  it.effect("the issue's reproduction: a page on app.example asked to return to evil.example — InvalidInput, nothing sent or stored", () =>
    Effect.gen(function*() {
      for (const version of ["v3", "v4"] as const) {
        const exit = yield* Effect.exit(RedirectLogin.start({ returnTo: "https://evil.example/steal", version }))
        if (Exit.isSuccess(exit)) {
          // what an attacker gets: the approval sends the approved token to their origin
          assert.fail(`${version}: the approved token went to ${yield* approve(exit.value)}`)
        }
        const error = yield* Effect.flip(exit)
        assertRefused(error, "returnTo", "https://evil.example/steal", version)
        assert.include(error.message, "origin")
      }
      yield* assertNothingSentOrStored
    }).pipe(onPage("https://app.example"), Effect.provide(env)))

  it.effect("another origin, another scheme, userinfo tricks, javascript:/data:/blob: — all InvalidInput on returnTo", () =>
    Effect.gen(function*() {
      const hostile = [
        // another origin
        "https://evil.example/callback",
        "https://app.example.evil.example/callback",
        "https://evil.example/https://app.example/callback",
        "https://app.example:8443/callback",
        "http://app.example/callback",
        "wss://app.example/callback",
        "https://evil.example\\@app.example/callback",
        "//evil.example/callback",
        "/callback",
        // userinfo: the host is after the @
        "https://app.example@evil.example/callback",
        "https://app.example:443@evil.example/callback",
        "https://app.example%40evil.example/callback",
        "https://user:pw@app.example/callback",
        // other schemes, some whose origin is the page's
        "javascript:alert(document.cookie)",
        "javascript://app.example/%0aalert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "blob:https://app.example/0f0f0f0f-0f0f-0f0f-0f0f-0f0f0f0f0f0f",
        "file:///etc/passwd",
        "ftp://app.example/callback",
        // query, fragment, line breaks
        "https://app.example/callback?next=https://evil.example/",
        "https://app.example/callback#https://evil.example/",
        "https://app.example/call\nback",
        "https://app.exa\tmple/callback"
      ]
      for (const bad of hostile) {
        assertRefused(yield* refusal({ returnTo: bad }), "returnTo", bad, bad)
        // an allow-list does not let any of them through
        assertRefused(
          yield* refusal({ returnTo: bad, allowedOrigins: ["https://app.example"] }),
          "returnTo",
          bad,
          `${bad} (allow-list)`
        )
      }
      yield* assertNothingSentOrStored
    }).pipe(onPage("https://app.example"), Effect.provide(env)))

  it.effect("plain http to a host that is not loopback is refused, even the page's own origin", () =>
    Effect.gen(function*() {
      for (
        const [page, bad] of [
          ["http://app.example", "http://app.example/callback"],
          ["http://10.0.0.1:8080", "http://10.0.0.1:8080/callback"],
          ["http://127.0.0.1.evil.example:5173", "http://127.0.0.1.evil.example:5173/callback"],
          ["http://localhost.evil.example", "http://localhost.evil.example/callback"]
        ] as const
      ) {
        const error = yield* refusal({ returnTo: bad }).pipe(onPage(page))
        assertRefused(error, "returnTo", bad, bad)
        assert.include(error.message, "loopback", bad)
      }
      yield* assertNothingSentOrStored
    }).pipe(Effect.provide(env)))

  it.effect("no location (tests, server-side rendering) or an opaque one, and no allow-list: InvalidInput naming allowedOrigins", () =>
    Effect.gen(function*() {
      for (const good of [returnTo, "https://app.example/callback"]) {
        const error = yield* refusal({ returnTo: good })
        assertRefused(error, "returnTo", good, good)
        assert.include(error.message, "allowedOrigins", good)
        // a file: page or a sandboxed frame: its origin is "null"
        assertRefused(
          yield* refusal({ returnTo: good }).pipe(onPage("null")),
          "returnTo",
          good,
          `${good} (null origin)`
        )
      }
      yield* assertNothingSentOrStored
    }).pipe(Effect.provide(env)))

  it.effect("the allow-list: its origins are accepted, in any spelling of the same origin", () =>
    Effect.gen(function*() {
      const allowed = ["https://app.example", "https://LOGIN.app.example:443/", "http://127.0.0.1:5173"]
      for (
        const [good, sent] of [
          ["https://app.example/callback", "https://app.example/callback/"],
          ["https://APP.example:443/auth/back", "https://app.example/auth/back/"],
          ["https://login.app.example/callback", "https://login.app.example/callback/"],
          [returnTo, `${returnTo}/`]
        ] as const
      ) {
        const before = yield* requestsTo("/4/auth/request_token")
        yield* RedirectLogin.start({ returnTo: good, allowedOrigins: allowed })
        const [request] = (yield* (yield* simulator).requests).filter((r) => r.path === "/4/auth/request_token")
          .slice(before)
        assert.isTrue((request?.body as { redirect_to: string }).redirect_to.startsWith(sent), good)
      }
    }).pipe(Effect.provide(env)))

  it.effect("the allow-list: another origin, port, scheme or subdomain, or an empty list, is InvalidInput", () =>
    Effect.gen(function*() {
      const allowed = ["https://app.example", "https://LOGIN.app.example:443/", "http://127.0.0.1:5173"]
      for (
        const [bad, list] of [
          ["https://evil.example/callback", allowed],
          ["https://app.example:8443/callback", allowed],
          ["http://app.example/callback", allowed],
          ["https://other.app.example/callback", allowed],
          ["http://127.0.0.1:5174/callback", allowed],
          ["https://app.example/callback", []]
        ] as const
      ) {
        assertRefused(yield* refusal({ returnTo: bad, allowedOrigins: list }), "returnTo", bad, bad)
      }
      yield* assertNothingSentOrStored
    }).pipe(Effect.provide(env)))

  it.effect("on a page, the allow-list adds to the page's own origin", () =>
    Effect.gen(function*() {
      const allowedOrigins = ["https://login.example"]
      yield* RedirectLogin.start({ returnTo: "https://app.example/callback", allowedOrigins })
      yield* RedirectLogin.start({ returnTo: "https://login.example/callback", allowedOrigins })
      yield* RedirectLogin.start({ returnTo: "https://app.example/callback" })
      assert.strictEqual(yield* requestsTo("/4/auth/request_token"), 3)
      const bad = "https://evil.example/callback"
      assertRefused(yield* refusal({ returnTo: bad, allowedOrigins }), "returnTo", bad, bad)
      assert.strictEqual(yield* requestsTo("/4/auth/request_token"), 3)
    }).pipe(onPage("https://app.example"), Effect.provide(env)))

  it.effect("an allow-list entry that is not an origin (https or loopback http) is InvalidInput on allowedOrigins", () =>
    Effect.gen(function*() {
      const entries: ReadonlyArray<unknown> = [
        "https://app.example/callback",
        "https://app.example?",
        "https://app.example#",
        "app.example",
        "*",
        "https://*.example",
        "http://app.example",
        "http://10.0.0.1",
        "https://user:pw@app.example",
        "https://app.example@evil.example",
        "javascript:alert(1)",
        "null",
        "",
        "https://app.example\n",
        42,
        null
      ]
      for (const entry of entries) {
        const error = yield* refusal({
          returnTo: "https://app.example/callback",
          allowedOrigins: ["https://app.example", entry] as ReadonlyArray<string>
        })
        assertRefused(error, "allowedOrigins", entry, String(entry))
      }
      // a string, not an array (its characters are no origins)
      const error = yield* refusal({
        returnTo: "https://app.example/callback",
        allowedOrigins: "https://app.example" as unknown as ReadonlyArray<string>
      })
      assertRefused(error, "allowedOrigins", "https://app.example", "a string")
      yield* assertNothingSentOrStored
    }).pipe(Effect.provide(env)))

  it.effect("loopback http on a page: 127.0.0.1, [::1] and localhost complete the round trip", () =>
    Effect.gen(function*() {
      for (const origin of ["http://127.0.0.1:5173", "http://[::1]:5173", "http://localhost:5173"]) {
        const login = yield* Effect.gen(function*() {
          const back = yield* approve(yield* RedirectLogin.start({ returnTo: `${origin}/callback`, version: "v3" }))
          assert.isTrue(back.startsWith(`${origin}/callback/`), back)
          return yield* RedirectLogin.complete(back)
        }).pipe(onPage(origin))
        assert.strictEqual(login.kind, "session", origin)
      }
    }).pipe(Effect.provide(env)))

  it.effect("a refused start leaves the login in progress as it was: it still completes", () =>
    Effect.gen(function*() {
      const back = yield* approve(yield* RedirectLogin.start({ returnTo, allowedOrigins }))
      const sent = (yield* (yield* simulator).requests).length
      for (const bad of ["https://evil.example/steal", "http://evil.example/steal", "javascript:alert(1)"]) {
        assertRefused(yield* refusal({ returnTo: bad, allowedOrigins }), "returnTo", bad, bad)
      }
      assert.strictEqual((yield* (yield* simulator).requests).length, sent)
      assert.strictEqual((yield* RedirectLogin.complete(back)).kind, "v4AccessToken")
    }).pipe(Effect.provide(env)))

  it.effect("complete: a callback on the return URL's host but another scheme is ForeignCallback", () =>
    Effect.gen(function*() {
      const back = yield* approve(yield* RedirectLogin.start({ returnTo, allowedOrigins, version: "v3" }))
      for (const forged of [back.replace(/^http:/, "https:"), back.replace(/^http:/, "ws:")]) {
        assert.strictEqual(tagOf(yield* Effect.exit(RedirectLogin.complete(forged))), "ForeignCallback", forged)
      }
      assert.strictEqual(yield* requestsTo("/3/authentication/session/new"), 0)
      assert.strictEqual((yield* RedirectLogin.complete(back)).kind, "session")
    }).pipe(Effect.provide(env)))
})

/** A `Storage` in memory, standing in for the page's. */
class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>()
  get length() {
    return this.#items.size
  }
  clear() {
    this.#items.clear()
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null
  }
  key(index: number) {
    return [...this.#items.keys()][index] ?? null
  }
  removeItem(key: string) {
    this.#items.delete(key)
  }
  setItem(key: string, value: string) {
    this.#items.set(key, value)
  }
}

describe("the browser's storages", () => {
  it.effect("the pending login goes to sessionStorage, the login to localStorage (raw JSON there)", () =>
    Effect.gen(function*() {
      const local = new MemoryStorage()
      const session = new MemoryStorage()
      const globals = globalThis as { localStorage?: Storage; sessionStorage?: Storage }
      globals.localStorage = local
      globals.sessionStorage = session
      yield* Effect.addFinalizer(() =>
        Effect.sync(() => void (delete globals.localStorage, delete globals.sessionStorage))
      )
      const login = yield* Effect.gen(function*() {
        const approvalUrl = yield* RedirectLogin.start({ returnTo, allowedOrigins })
        assert.isNotNull(session.getItem(RedirectLogin.pendingKey))
        assert.strictEqual(local.length, 0)
        const login = yield* RedirectLogin.complete(yield* approve(approvalUrl))
        yield* Effect.flatMap(SessionStore.SessionStore, (store) => store.save(login))
        return login
      }).pipe(
        Effect.provide(Layer.mergeAll(RedirectLogin.layerSessionStorage, BrowserSessionStore.layer()))
      )
      assert.include(local.getItem(SessionStore.defaultKey) ?? "", Redacted.value(login.session_id))
      // a new page (a reload): the store reads it back
      const reloaded = yield* Effect.flatMap(SessionStore.SessionStore, (store) => store.load).pipe(
        Effect.provide(BrowserSessionStore.layer())
      )
      assert.strictEqual(Option.map(reloaded, (l) => l.account_id).pipe(Option.getOrNull), login.account_id)
      // and account-level code on that page has its TmdbSession from it
      const account = yield* Account.details().pipe(
        Effect.provide(TmdbSession.layerFromStore),
        Effect.provide(BrowserSessionStore.layer())
      )
      assert.strictEqual(account.username, TmdbSimulator.defaultAccount.username)
    }).pipe(Effect.scoped, Effect.provide(Layer.mergeAll(TmdbSimulator.layer(), TmdbSimulator.credentials))))

  it.effect("BrowserSessionStore follows the one logout rule: kept while TMDB fails, removed once gone or corrupted", () =>
    Effect.gen(function*() {
      const local = new MemoryStorage()
      const globals = globalThis as { localStorage?: Storage }
      globals.localStorage = local
      yield* Effect.addFinalizer(() => Effect.sync(() => void delete globals.localStorage))
      yield* checkLogoutRule(
        BrowserSessionStore.layer(),
        Effect.sync(() => local.setItem(SessionStore.defaultKey, "{\"kind\":\"sess"))
      )
      assert.strictEqual(local.length, 0)
    }).pipe(Effect.scoped))

  it.effect("a pending login that does not decode is CorruptedSession, not a defect", () =>
    Effect.gen(function*() {
      const kv = yield* RedirectLogin.PendingStore
      yield* kv.set(RedirectLogin.pendingKey, "{not json")
      const exit = yield* Effect.exit(RedirectLogin.complete(`${returnTo}/${"0".repeat(32)}`))
      assert.strictEqual(tagOf(exit), "CorruptedSession")
    }).pipe(
      Effect.provide(Layer.mergeAll(TmdbSimulator.layer(), TmdbSimulator.credentials, RedirectLogin.layerMemory))
    ))

  it.effect("a pending login whose returnTo is not https or loopback http is CorruptedSession, not a defect", () =>
    Effect.gen(function*() {
      const kv = yield* RedirectLogin.PendingStore
      for (const stored of ["not a url", "javascript:alert(1)", "http://evil.example/callback"]) {
        yield* kv.set(
          RedirectLogin.pendingKey,
          JSON.stringify({
            version: "v4",
            request_token: "t".repeat(32),
            state: "0".repeat(32),
            returnTo: stored,
            expires_at: "2100-01-01T00:00:00.000Z",
            used: false
          })
        )
        const exit = yield* Effect.exit(RedirectLogin.complete(`${returnTo}/${"0".repeat(32)}`))
        assert.strictEqual(tagOf(exit), "CorruptedSession", stored)
      }
    }).pipe(
      Effect.provide(Layer.mergeAll(TmdbSimulator.layer(), TmdbSimulator.credentials, RedirectLogin.layerMemory))
    ))
})
