import { assert, describe, it, layer } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Layer, Stream } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import type { HttpClientError } from "effect/http"
import { TestClock } from "effect/testing"
import * as Http from "node:http"
import { TmdbConfig, TmdbError } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { clickApproval, rawRequest, visit } from "./utils/approvalPage.js"

const API = "https://api.themoviedb.org"
const JSON_TYPE = "application/json; charset=utf-8"
const HEX40 = /^[0-9a-f]{40}$/
const HEX32 = /^[0-9a-f]{32}$/

interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  readonly body: unknown
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const send = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const response = yield* client.execute(request)
    const text = yield* response.text
    return { status: response.status, headers: response.headers, text, body: parse(text) } satisfies Reply
  })

const withBearer = HttpClientRequest.bearerToken(TmdbSimulator.bearerToken)

const get = (path: string, query: Record<string, string> = {}, base = API) =>
  send(HttpClientRequest.get(base + path).pipe(withBearer, HttpClientRequest.setUrlParams(query)))

const post = (path: string, body: unknown, base = API) =>
  send(HttpClientRequest.post(base + path).pipe(withBearer, HttpClientRequest.bodyJsonUnsafe(body)))

const del = (path: string, body: unknown, base = API) =>
  send(HttpClientRequest.delete(base + path).pipe(withBearer, HttpClientRequest.bodyJsonUnsafe(body)))

const errorBody = (code: number) => {
  const entry = TmdbError.statusCodes.get(code)!
  return { status_code: code, status_message: entry.status_message, success: false }
}

const assertTmdbError = (reply: Reply, code: number) => {
  assert.strictEqual(reply.status, TmdbError.statusCodes.get(code)!.httpStatus)
  assert.deepStrictEqual(reply.body, errorBody(code))
  assert.strictEqual(reply.headers["content-type"], JSON_TYPE)
}

const field = (reply: Reply, name: string): string => {
  const value = (reply.body as Record<string, unknown>)[name]
  assert.isString(value)
  return value as string
}

const newToken = (base = API) =>
  Effect.map(get("/3/authentication/token/new", {}, base), (r) => field(r, "request_token"))

const login = (request_token: string, username = "demo", password = "demo-password", base = API) =>
  post("/3/authentication/token/validate_with_login", { username, password, request_token }, base)

const newSession = (request_token: string, base = API) => post("/3/authentication/session/new", { request_token }, base)

const simulator = TmdbSimulator.TmdbSimulator

const assertDies = <A>(effect: Effect.Effect<A>, message: string) =>
  Effect.gen(function*() {
    const exit = yield* Effect.exit(effect)
    assert.isTrue(Exit.isFailure(exit) && Cause.hasDies(exit.cause), "expected a defect")
    if (Exit.isFailure(exit)) assert.include(Cause.pretty(exit.cause), message)
  })

/** The first `code` in the cause chain of a transport error. */
const transportCode = (error: HttpClientError.HttpClientError): unknown => {
  if (error.reason._tag !== "TransportError") return `not a transport error: ${error.reason._tag}`
  let cause: unknown = error.reason.cause
  while (typeof cause === "object" && cause !== null) {
    const { cause: next, code } = cause as { readonly code?: unknown; readonly cause?: unknown }
    if (code !== undefined) return code
    cause = next
  }
  return undefined
}

describe("TmdbSimulator (in memory)", () => {
  const fresh = <A, E>(
    effect: Effect.Effect<A, E, TmdbSimulator.TmdbSimulator | HttpClient.HttpClient>,
    options?: TmdbSimulator.Options
  ) => Effect.provide(effect, TmdbSimulator.layer(options))

  it.effect("options replace the accepted credentials", () =>
    fresh(
      Effect.gen(function*() {
        assertTmdbError(yield* get("/3/authentication"), 7)
        const other = yield* send(
          HttpClientRequest.get(`${API}/3/authentication`).pipe(HttpClientRequest.bearerToken("other-token"))
        )
        assert.strictEqual(other.status, 200)
        const key = yield* send(
          HttpClientRequest.get(`${API}/3/authentication`).pipe(HttpClientRequest.setUrlParam("api_key", "k"))
        )
        assert.strictEqual(key.status, 200)
      }),
      { apiKeys: ["k"], bearerTokens: ["other-token"] }
    ))

  it.effect("token/new: a 40-hex token expiring in 60 minutes, with the authentication-callback header", () =>
    fresh(Effect.gen(function*() {
      yield* TestClock.adjust("90 seconds")
      const reply = yield* get("/3/authentication/token/new")
      assert.strictEqual(reply.status, 200)
      const token = field(reply, "request_token")
      assert.match(token, HEX40)
      assert.deepStrictEqual(reply.body, {
        success: true,
        expires_at: "1970-01-01 01:01:30 UTC",
        request_token: token
      })
      assert.strictEqual(reply.headers["authentication-callback"], `https://www.themoviedb.org/authenticate/${token}`)
    })))

  it.effect("guest_session/new: a 32-hex id expiring after guestSessionTtl, refused by /3/account", () =>
    Effect.gen(function*() {
      const reply = yield* fresh(get("/3/authentication/guest_session/new"))
      assert.strictEqual(reply.status, 200)
      const id = field(reply, "guest_session_id")
      assert.match(id, HEX32)
      assert.deepStrictEqual(reply.body, { success: true, guest_session_id: id, expires_at: "1970-01-02 00:00:00 UTC" })
      const short = yield* fresh(get("/3/authentication/guest_session/new"), { guestSessionTtl: "60 minutes" })
      assert.strictEqual(field(short, "expires_at"), "1970-01-01 01:00:00 UTC")
      assertTmdbError(yield* fresh(get("/3/account", { session_id: id })), 3)
    }))

  it.effect("password login: token → validate_with_login → session/new → account → delete", () =>
    fresh(Effect.gen(function*() {
      const token = yield* newToken()
      const validated = yield* login(token)
      assert.strictEqual(validated.status, 200)
      assert.deepStrictEqual(validated.body, {
        success: true,
        expires_at: "1970-01-01 01:00:00 UTC",
        request_token: token
      })
      const created = yield* newSession(token)
      assert.strictEqual(created.status, 200)
      const session_id = field(created, "session_id")
      assert.match(session_id, HEX40)
      assert.deepStrictEqual(created.body, { success: true, session_id })
      assert.deepStrictEqual(yield* (yield* simulator).sessions, [{ session_id, username: "demo" }])

      const account = yield* get("/3/account", { session_id })
      assert.strictEqual(account.status, 200)
      const hash = (account.body as { avatar: { gravatar: { hash: string } } }).avatar.gravatar.hash
      assert.match(hash, HEX32)
      assert.deepStrictEqual(account.body, {
        avatar: { gravatar: { hash }, tmdb: { avatar_path: null } },
        id: 1000,
        iso_639_1: "en",
        iso_3166_1: "US",
        name: "",
        include_adult: false,
        username: "demo"
      })

      const deleted = yield* del("/3/authentication/session", { session_id })
      assert.strictEqual(deleted.status, 200)
      assert.deepStrictEqual(deleted.body, { success: true })
      assert.deepStrictEqual(yield* (yield* simulator).sessions, [])
      assertTmdbError(yield* get("/3/account", { session_id }), 3)
      assertTmdbError(yield* del("/3/authentication/session", { session_id }), 6)
    })))

  it.effect("request tokens are single-use", () =>
    fresh(Effect.gen(function*() {
      const token = yield* newToken()
      yield* login(token)
      assert.strictEqual((yield* newSession(token)).status, 200)
      assertTmdbError(yield* newSession(token), 33)
      assertTmdbError(yield* login(token), 33)
      yield* assertDies((yield* simulator).approve(token), "already used")
    })))

  it.effect("validate_with_login: each documented failure", () =>
    fresh(
      Effect.gen(function*() {
        const token = yield* newToken()
        assertTmdbError(
          yield* post("/3/authentication/token/validate_with_login", { password: "pw", request_token: token }),
          26
        )
        assertTmdbError(yield* login(token, "demo", ""), 26)
        assertTmdbError(yield* login("f".repeat(40)), 33)
        assertTmdbError(yield* login(token, "demo", "wrong"), 30)
        assertTmdbError(yield* login(token, "nobody", "demo-password"), 30)
        assertTmdbError(yield* login(token, "off", "pw"), 31)
        assertTmdbError(yield* login(token, "new", "pw"), 32)
        // none of the failures approved the token
        const denied = yield* newSession(token)
        assert.strictEqual(denied.status, 401)
        assert.strictEqual((denied.body as { status_code: number }).status_code, 17)
      }),
      {
        accounts: [
          { username: "demo", password: "demo-password" },
          { username: "off", password: "pw", status: "disabled" },
          { username: "new", password: "pw", status: "unverified" }
        ]
      }
    ))

  it.effect("session/new: missing, unknown, unapproved and denied tokens", () =>
    fresh(Effect.gen(function*() {
      const missing = yield* post("/3/authentication/session/new", {})
      assert.strictEqual(missing.status, 422)
      assert.deepStrictEqual(missing.body, { errors: ["request_token must be provided"] })
      assertTmdbError(yield* newSession("0".repeat(40)), 33)

      const pending = yield* newToken()
      const unapproved = yield* newSession(pending)
      assert.strictEqual(unapproved.status, 401)
      assert.deepStrictEqual(unapproved.body, {
        success: false,
        failure: true,
        status_code: 17,
        status_message: "Session denied."
      })

      const token = yield* newToken()
      yield* (yield* simulator).approve(token)
      yield* (yield* simulator).deny(token)
      const denied = yield* newSession(token)
      assert.strictEqual(denied.status, 401)
      assert.strictEqual((denied.body as { status_code: number }).status_code, 17)
    })))

  it.effect("approve(token, { username }) creates a session for that account", () =>
    fresh(Effect.gen(function*() {
      const sim = yield* simulator
      const added = yield* sim.addAccount({
        username: "jo",
        password: "pw",
        name: "Jo",
        include_adult: true,
        iso_639_1: "fr",
        iso_3166_1: "BE",
        avatar_path: "/a.jpg"
      })
      assert.strictEqual(added.id, 1001)
      const token = yield* newToken()
      yield* sim.approve(token, { username: "jo" })
      const session_id = field(yield* newSession(token), "session_id")
      const account = yield* get("/3/account", { session_id })
      assert.deepStrictEqual(account.body, {
        avatar: { gravatar: { hash: added.gravatar_hash }, tmdb: { avatar_path: "/a.jpg" } },
        id: 1001,
        iso_639_1: "fr",
        iso_3166_1: "BE",
        name: "Jo",
        include_adult: true,
        username: "jo"
      })
    })))

  it.effect("control misuse dies with a clear message", () =>
    fresh(Effect.gen(function*() {
      const sim = yield* simulator
      yield* assertDies(sim.approve("nope"), "unknown request token \"nope\"")
      yield* assertDies(sim.deny("nope"), "unknown request token \"nope\"")
      const token = yield* newToken()
      yield* assertDies(sim.approve(token, { username: "ghost" }), "unknown account \"ghost\"")
      yield* assertDies(sim.addAccount({ username: "demo", password: "x" }), "already exists")
      yield* assertDies(sim.grantAccessToken("ghost"), "unknown account \"ghost\"")
    })))

  it.effect("no accounts: approve without a username dies", () =>
    fresh(
      Effect.gen(function*() {
        const token = yield* newToken()
        yield* assertDies((yield* simulator).approve(token), "no account")
        assertTmdbError(yield* login(token), 30)
      }),
      { accounts: [] }
    ))

  it.effect("an approved token expires after 60 minutes: fine at 59, code 33 at 61", () =>
    fresh(Effect.gen(function*() {
      const sim = yield* simulator
      const early = yield* newToken()
      const late = yield* newToken()
      const pending = yield* newToken()
      yield* sim.approve(early)
      yield* login(late)
      yield* TestClock.adjust("59 minutes")
      assert.strictEqual((yield* newSession(early)).status, 200)
      yield* TestClock.adjust("2 minutes")
      assertTmdbError(yield* newSession(late), 33)
      assertTmdbError(yield* newSession(pending), 33)
      assertTmdbError(yield* login(pending), 33)
    })))

  it.effect("requestTokenTtl sets the request token lifetime", () =>
    fresh(
      Effect.gen(function*() {
        const token = yield* newToken()
        yield* login(token)
        yield* TestClock.adjust("5 minutes")
        assertTmdbError(yield* newSession(token), 33)
      }),
      { requestTokenTtl: "5 minutes" }
    ))

  it.effect("session/convert/4 turns a granted access token into a session; read tokens get 35", () =>
    fresh(Effect.gen(function*() {
      const sim = yield* simulator
      yield* sim.addAccount({ username: "jo", password: "pw" })
      const access = yield* sim.grantAccessToken("jo")
      const claims = JSON.parse(Buffer.from(access.split(".")[1]!, "base64url").toString("utf8"))
      assert.deepStrictEqual(claims.scopes, ["api_read", "api_write"])
      assert.strictEqual(claims.sub, (1001).toString(16).padStart(24, "0"))

      const converted = yield* post("/3/authentication/session/convert/4", { access_token: access })
      assert.strictEqual(converted.status, 200)
      const session_id = field(converted, "session_id")
      assert.deepStrictEqual(converted.body, { success: true, session_id })
      assert.strictEqual(field(yield* get("/3/account", { session_id }), "username"), "jo")

      assertTmdbError(
        yield* post("/3/authentication/session/convert/4", { access_token: TmdbSimulator.bearerToken }),
        35
      )
      const missing = yield* post("/3/authentication/session/convert/4", {})
      assert.strictEqual(missing.status, 422)
      assert.deepStrictEqual(missing.body, { errors: ["access_token must be provided"] })

      // the access token is accepted as Bearer credentials too
      const asBearer = yield* send(
        HttpClientRequest.get(`${API}/3/authentication`).pipe(HttpClientRequest.bearerToken(access))
      )
      assert.strictEqual(asBearer.status, 200)
    })))

  it.effect("DELETE session: missing id is 422, unknown is 404 (6)", () =>
    fresh(Effect.gen(function*() {
      const missing = yield* del("/3/authentication/session", {})
      assert.strictEqual(missing.status, 422)
      assert.deepStrictEqual(missing.body, { errors: ["session_id must be provided"] })
      assertTmdbError(yield* del("/3/authentication/session", { session_id: "nope" }), 6)
    })))

  it.effect("/3/account without a session_id is 401 (3)", () =>
    fresh(Effect.gen(function*() {
      assertTmdbError(yield* get("/3/account"), 3)
      assertTmdbError(yield* get("/3/account", { session_id: "unknown" }), 3)
    })))

  it.effect("ids stay unique under 1,000 concurrent logins", () =>
    fresh(Effect.gen(function*() {
      const ids = yield* Effect.forEach(
        Array.from({ length: 1000 }, (_, i) => i),
        () =>
          Effect.gen(function*() {
            const token = yield* newToken()
            yield* login(token)
            return field(yield* newSession(token), "session_id")
          }),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(new Set(ids).size, 1000)
      assert.strictEqual((yield* (yield* simulator).sessions).length, 1000)
    })), 120_000) // 3,000 requests, each a real Request and Response through the simulator's web handler

  it.effect("records every request in order, faulted ones too", () =>
    fresh(Effect.gen(function*() {
      const sim = yield* simulator
      yield* get("/3/account", { session_id: "s1" })
      yield* sim.inject(TmdbSimulator.Fault.Refuse())
      yield* Effect.result(post("/3/authentication/session/new", { request_token: "t0" }))
      yield* post("/3/authentication/session/new", { request_token: "t1" })
      const requests = yield* sim.requests
      assert.deepStrictEqual(
        requests.map(({ body, method, path, query }) => ({ method, path, query, body })),
        [
          { method: "GET", path: "/3/account", query: { session_id: "s1" }, body: undefined },
          // a refused connection never sent its body
          { method: "POST", path: "/3/authentication/session/new", query: {}, body: undefined },
          { method: "POST", path: "/3/authentication/session/new", query: {}, body: { request_token: "t1" } }
        ]
      )
      assert.strictEqual(requests[0]!.headers["authorization"], `Bearer ${TmdbSimulator.bearerToken}`)
      assert.strictEqual(requests[2]!.headers["content-type"], "application/json")
    })))
})

describe("faults", () => {
  const fresh = <A, E>(effect: Effect.Effect<A, E, TmdbSimulator.TmdbSimulator | HttpClient.HttpClient>) =>
    Effect.provide(effect, TmdbSimulator.layer())
  const inject = (fault: TmdbSimulator.Fault, options?: { readonly path?: string; readonly times?: number }) =>
    Effect.flatMap(simulator, (sim) => sim.inject(fault, options))

  it.effect("Status answers with the status, body and headers given, without processing", () =>
    fresh(Effect.gen(function*() {
      yield* inject(TmdbSimulator.Fault.Status({ status: 503, body: "{\"oops\":1}", headers: { "X-Thing": "y" } }))
      const reply = yield* get("/3/authentication/token/new")
      assert.strictEqual(reply.status, 503)
      assert.deepStrictEqual(reply.body, { oops: 1 })
      assert.strictEqual(reply.headers["x-thing"], "y")
      yield* inject(TmdbSimulator.Fault.Status({ status: 500 }))
      const empty = yield* get("/3/authentication")
      assert.strictEqual(empty.status, 500)
      assert.strictEqual(empty.text, "")
      assert.strictEqual((yield* get("/3/authentication")).status, 200)
    })))

  it.effect("Html answers with a CDN error page", () =>
    fresh(Effect.gen(function*() {
      yield* inject(TmdbSimulator.Fault.Html({ status: 502 }))
      const reply = yield* get("/3/authentication")
      assert.strictEqual(reply.status, 502)
      assert.strictEqual(reply.headers["content-type"], "text/html")
      assert.include(reply.text, "<title>502 Bad Gateway</title>")
      assert.isUndefined(reply.body)
    })))

  it.effect("MalformedJson answers with a JSON content type and a broken body", () =>
    fresh(Effect.gen(function*() {
      yield* inject(TmdbSimulator.Fault.MalformedJson({ status: 200 }))
      const reply = yield* get("/3/authentication")
      assert.strictEqual(reply.status, 200)
      assert.strictEqual(reply.headers["content-type"], JSON_TYPE)
      assert.strictEqual(reply.text, "{\"success\": tr")
      assert.isUndefined(reply.body)
    })))

  it.effect("RateLimit answers 429 with code 25 and Retry-After when given", () =>
    fresh(Effect.gen(function*() {
      yield* inject(TmdbSimulator.Fault.RateLimit({ retryAfter: 3 }))
      yield* inject(TmdbSimulator.Fault.RateLimit({}))
      const first = yield* get("/3/authentication")
      assertTmdbError(first, 25)
      assert.strictEqual(first.headers["retry-after"], "3")
      const second = yield* get("/3/authentication")
      assertTmdbError(second, 25)
      assert.isUndefined(second.headers["retry-after"])
    })))

  it.effect("Delay waits on the Clock, then answers normally", () =>
    fresh(Effect.gen(function*() {
      yield* inject(TmdbSimulator.Fault.Delay({ duration: "2 seconds" }))
      const fiber = yield* Effect.forkChild(get("/3/authentication"))
      yield* TestClock.adjust("1999 millis")
      assert.isUndefined(fiber.pollUnsafe())
      yield* TestClock.adjust("1 milli")
      assert.strictEqual((yield* Fiber.join(fiber)).status, 200)
    })))

  it.effect("Delay is interruptible, and an interrupted request is not processed", () =>
    fresh(Effect.gen(function*() {
      const token = yield* newToken()
      yield* login(token)
      yield* inject(TmdbSimulator.Fault.Delay({ duration: "1 hour" }))
      const fiber = yield* Effect.forkChild(newSession(token))
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(yield* (yield* simulator).sessions, [])
      assert.strictEqual((yield* newSession(token)).status, 200)
    })))

  it.effect("Refuse fails with ECONNREFUSED and does not process the request", () =>
    fresh(Effect.gen(function*() {
      const token = yield* newToken()
      yield* login(token)
      yield* inject(TmdbSimulator.Fault.Refuse())
      const refused = yield* Effect.flip(newSession(token))
      assert.strictEqual(transportCode(refused), "ECONNREFUSED")
      assert.strictEqual(
        refused.reason._tag === "TransportError" && (refused.reason.cause as Error).message,
        "connect ECONNREFUSED 127.0.0.1:443"
      )
      assert.strictEqual((yield* newSession(token)).status, 200)
    })))

  it.effect("Drop resets the connection; afterProcessing applies the change first", () =>
    fresh(Effect.gen(function*() {
      const sim = yield* simulator
      const token = yield* newToken()
      yield* login(token)
      yield* inject(TmdbSimulator.Fault.Drop({ afterProcessing: false }))
      assert.strictEqual(transportCode(yield* Effect.flip(newSession(token))), "ECONNRESET")
      assert.deepStrictEqual(yield* sim.sessions, [])

      yield* inject(TmdbSimulator.Fault.Drop({ afterProcessing: true }))
      assert.strictEqual(transportCode(yield* Effect.flip(newSession(token))), "ECONNRESET")
      assert.strictEqual((yield* sim.sessions).length, 1)
      assertTmdbError(yield* newSession(token), 33)
    })))

  it.effect("times: a fault applies to that many requests", () =>
    fresh(Effect.gen(function*() {
      yield* inject(TmdbSimulator.Fault.Html({ status: 503 }), { times: 2 })
      assert.deepStrictEqual(
        [(yield* get("/3/authentication")).status, (yield* get("/3/authentication")).status],
        [503, 503]
      )
      assert.strictEqual((yield* get("/3/authentication")).status, 200)
    })))

  it.effect("path: a fault waits for its path; the first matching fault is consumed", () =>
    fresh(Effect.gen(function*() {
      yield* inject(TmdbSimulator.Fault.Status({ status: 500 }), { path: "/3/authentication/token/new" })
      yield* inject(TmdbSimulator.Fault.Status({ status: 503 }))
      assert.strictEqual((yield* get("/3/authentication")).status, 503)
      assert.strictEqual((yield* get("/3/authentication")).status, 200)
      assert.strictEqual((yield* get("/3/authentication/token/new")).status, 500)
      assert.strictEqual((yield* get("/3/authentication/token/new")).status, 200)
    })))

  it.effect("clearFaults removes queued faults", () =>
    fresh(Effect.gen(function*() {
      yield* inject(TmdbSimulator.Fault.Refuse(), { times: 5 })
      yield* Effect.flatMap(simulator, (sim) => sim.clearFaults)
      assert.strictEqual((yield* get("/3/authentication")).status, 200)
    })))
})

describe("served over loopback HTTP", () => {
  it.effect("layerServer: full password login flow over real HTTP", () =>
    Effect.gen(function*() {
      const { baseUrl, webUrl } = yield* TmdbConfig.TmdbConfig
      assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.strictEqual(webUrl, baseUrl)

      const tokenReply = yield* get("/3/authentication/token/new", {}, baseUrl)
      const token = field(tokenReply, "request_token")
      assert.strictEqual(tokenReply.headers["authentication-callback"], `${baseUrl}/authenticate/${token}`)
      assert.strictEqual(tokenReply.headers["content-type"], JSON_TYPE)
      assert.strictEqual((yield* login(token, "demo", "demo-password", baseUrl)).status, 200)
      const session_id = field(yield* newSession(token, baseUrl), "session_id")
      assert.strictEqual(field(yield* get("/3/account", { session_id }, baseUrl), "username"), "demo")
      assert.deepStrictEqual((yield* del("/3/authentication/session", { session_id }, baseUrl)).body, {
        success: true
      })
      assertTmdbError(yield* get("/3/account", { session_id }, baseUrl), 3)

      // the server's requests use this test's clock
      const late = yield* newToken(baseUrl)
      yield* (yield* simulator).approve(late)
      yield* TestClock.adjust("61 minutes")
      assertTmdbError(yield* newSession(late, baseUrl), 33)

      const recorded = yield* (yield* simulator).requests
      assert.strictEqual(recorded.length, 8)
      assert.deepStrictEqual(recorded[1]!.body, {
        username: "demo",
        password: "demo-password",
        request_token: token
      })
    }).pipe(Effect.provide(Layer.merge(TmdbSimulator.layerServer(), FetchHttpClient.layer))))

  it.effect("a Drop fault is a transport error, and the port is closed when the scope ends", () =>
    Effect.gen(function*() {
      const sim = yield* TmdbSimulator.make()
      const baseUrl = yield* Effect.scoped(
        Effect.gen(function*() {
          const baseUrl = yield* TmdbSimulator.serve()
          yield* sim.inject(TmdbSimulator.Fault.Drop({ afterProcessing: true }))
          const dropped = yield* Effect.flip(newToken(baseUrl))
          assert.strictEqual(dropped.reason._tag, "TransportError")
          assert.deepStrictEqual((yield* sim.requests).map((r) => r.path), ["/3/authentication/token/new"])
          assert.strictEqual((yield* get("/3/authentication", {}, baseUrl)).status, 200)
          return baseUrl
        }).pipe(Effect.provideService(TmdbSimulator.TmdbSimulator, sim))
      )
      const closed = yield* Effect.flip(get("/3/authentication", {}, baseUrl))
      assert.strictEqual(transportCode(closed), "ECONNREFUSED")
      assert.strictEqual((yield* sim.requests).length, 2)
    }).pipe(Effect.provide(FetchHttpClient.layer)))
})

/** session/new for a token no one approved: 401, code 17. */
const assertNotApproved = (reply: Reply) => {
  assert.strictEqual(reply.status, 401)
  assert.strictEqual((reply.body as { readonly status_code?: unknown }).status_code, 17)
}

/** TMDB's error body for a request body past the simulator's 16 KiB. */
const assertTooLarge = (reply: { readonly status: number; readonly text: string }) => {
  assert.strictEqual(reply.status, 413)
  assert.deepStrictEqual(parse(reply.text), {
    success: false,
    status_code: 47,
    status_message: "The input is not valid."
  })
}

/**
 * An endless chunked POST, written as fast as the server takes it (backpressure honoured) until
 * an answer comes or `patience` runs out: the answer (status `undefined` for none), the bytes
 * the server had taken by then (its reads and the kernel's buffers) and this process's RSS growth.
 */
const endlessPost = (baseUrl: string, path: string, headers: Readonly<Record<string, string>>, patience = 3000) =>
  Effect.callback<
    { readonly status: number | undefined; readonly text: string; readonly sent: number; readonly rss: number }
  >(
    (resume) => {
      const { hostname, port } = new URL(baseUrl)
      const rssBefore = process.memoryUsage().rss
      const request = Http.request({ host: hostname, port, method: "POST", path, headers, agent: false })
      const chunk = Buffer.alloc(64 * 1024, " ") // JSON whitespace, for ever
      let over = false
      const finish = (status: number | undefined, text: string) => {
        if (over) return
        over = true
        clearTimeout(timer)
        const sent = request.socket?.bytesWritten ?? 0
        request.destroy()
        resume(Effect.succeed({ status, text, sent, rss: process.memoryUsage().rss - rssBefore }))
      }
      const timer = setTimeout(() => finish(undefined, "no answer"), patience)
      const pump = () => {
        while (!over) {
          if (!request.write(chunk)) return void request.once("drain", pump)
        }
      }
      request.on("response", (response) => {
        const parts: Array<Buffer> = []
        response.on("data", (part: Buffer) => parts.push(part))
        response.on("end", () => finish(response.statusCode, Buffer.concat(parts).toString("utf8")))
      })
      request.on("error", (error) => finish(undefined, String(error)))
      pump()
    }
  )

const MiB = 1024 * 1024

describe("request bodies are read no further than 16 KiB", () => {
  it.effect("in memory: a body of 16 KiB is read, one byte more is 413 with TMDB's error body", () =>
    Effect.gen(function*() {
      const json = JSON.stringify({ request_token: "a".repeat(40) })
      const sized = (length: number) =>
        send(
          HttpClientRequest.post(`${API}/3/authentication/session/new`).pipe(
            withBearer,
            HttpClientRequest.bodyText(json.padEnd(length, " "), "application/json")
          )
        )
      assertTmdbError(yield* sized(16 * 1024), 33) // read and processed: an unknown token
      const over = yield* sized(16 * 1024 + 1)
      assertTooLarge(over)
      assert.strictEqual(over.headers["content-type"], JSON_TYPE)
      assert.strictEqual(over.headers["access-control-allow-origin"], "*")
      // recorded, its body unread
      const recorded = yield* (yield* simulator).requests
      assert.deepStrictEqual(recorded.map((r) => [r.path, r.body]), [
        ["/3/authentication/session/new", { request_token: "a".repeat(40) }],
        ["/3/authentication/session/new", undefined]
      ])
    }).pipe(Effect.provide(TmdbSimulator.layer())))

  it.effect("in memory: a body of 8 MiB is 413, pulled no further than the limit", () =>
    Effect.gen(function*() {
      let pulled = 0
      // long enough to tell (an endless one would starve the event loop of code that reads it all)
      const long = Stream.forever(Stream.succeed(new Uint8Array(1024).fill(0x20))).pipe(
        Stream.take(8 * 1024),
        Stream.tap((chunk) => Effect.sync(() => void (pulled += chunk.length)))
      )
      const reply = yield* send(
        HttpClientRequest.post(`${API}/3/authentication/session/new`).pipe(
          withBearer,
          HttpClientRequest.bodyStream(long, { contentType: "application/json" })
        )
      )
      assertTooLarge(reply)
      assert.isAtMost(pulled, 64 * 1024, `pulled ${pulled} bytes`)
    }).pipe(Effect.provide(TmdbSimulator.layer())))

  it.live(
    "served: an endless chunked POST is answered 413 at once, its memory bounded, for every path",
    () =>
      Effect.gen(function*() {
        const baseUrl = yield* TmdbSimulator.serve()
        const api = { authorization: `Bearer ${TmdbSimulator.bearerToken}`, "content-type": "application/json" }
        const page = { origin: baseUrl, "content-type": "application/x-www-form-urlencoded" }
        for (
          const [path, headers] of [
            ["/3/authentication/session/new", api],
            ["/3/authentication/token/validate_with_login", api],
            ["/3/authentication/token/new", api], // a GET route: the body is still read for the record
            ["/nowhere", api],
            [`/authenticate/${yield* newToken(baseUrl)}`, page]
          ] as const
        ) {
          const answer = yield* endlessPost(baseUrl, path, headers)
          assert.isDefined(answer.status, `${path}: no answer while ${answer.sent} bytes were sent`)
          assertTooLarge({ status: answer.status!, text: answer.text })
          // what the kernel buffers, a few MiB; the server read 16 KiB of it
          assert.isBelow(answer.sent, 16 * MiB, `${path}: ${answer.sent} bytes taken`)
          assert.isBelow(answer.rss, 64 * MiB, `${path}: RSS grew by ${answer.rss} bytes`)
        }
        // and it goes on answering
        assert.strictEqual((yield* get("/3/authentication", {}, baseUrl)).status, 200)
      }).pipe(
        Effect.scoped,
        Effect.provideServiceEffect(TmdbSimulator.TmdbSimulator, TmdbSimulator.make()),
        Effect.provide(FetchHttpClient.layer)
      ),
    30_000
  )
})

describe("the served simulator answers only requests sent to its own address", () => {
  it.live("another Host (a DNS name rebound to 127.0.0.1) gets a 400 without CORS, and nothing is processed", () =>
    Effect.gen(function*() {
      const sim = yield* simulator
      const baseUrl = yield* TmdbSimulator.serve()
      const port = Number(new URL(baseUrl).port)
      yield* sim.scriptApproval({ decision: "approve" })
      const request_token = yield* newToken(baseUrl)
      const seen = (yield* sim.requests).length
      const paths = ["/3/authentication/token/new", `/authenticate/${request_token}`]
      const hosts = [
        `evil.example:${port}`,
        `127.0.0.1.nip.io:${port}`,
        `localhost.evil.example:${port}`,
        `127.0.0.1:${port + 1}`,
        "127.0.0.1",
        `[::1]:${port}`,
        `127.0.0.1:${port}.evil.example`
      ]
      for (const path of paths) {
        for (const host of hosts) {
          const reply = yield* rawRequest(baseUrl, {
            path,
            headers: { host, authorization: `Bearer ${TmdbSimulator.bearerToken}`, origin: `http://${host}` }
          })
          assert.strictEqual(reply.status, 400, `${host} ${path}`)
          assert.isUndefined(reply.headers["access-control-allow-origin"], `${host} ${path}`)
          assert.notInclude(reply.text, request_token)
        }
        // a request target that is not a path: an absolute URL
        const absolute = yield* rawRequest(baseUrl, {
          path: `http://evil.example${path}`,
          headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${TmdbSimulator.bearerToken}` }
        })
        assert.strictEqual(absolute.status, 400)
        assert.isUndefined(absolute.headers["access-control-allow-origin"])
      }
      // nothing recorded, the token still pending, the script not spent
      assert.strictEqual((yield* sim.requests).length, seen)
      assertNotApproved(yield* newSession(request_token, baseUrl))
      // its own names: answered, with CORS
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
        const reply = yield* rawRequest(baseUrl, {
          path: "/3/authentication",
          headers: { host, authorization: `Bearer ${TmdbSimulator.bearerToken}` }
        })
        assert.strictEqual(reply.status, 200, host)
        assert.strictEqual(reply.headers["access-control-allow-origin"], "*")
      }
      const approved = yield* visit(`${baseUrl}/authenticate/${request_token}`)
      assert.include(approved.text, "You can close this window")
    }).pipe(
      Effect.scoped,
      Effect.provideServiceEffect(TmdbSimulator.TmdbSimulator, TmdbSimulator.make()),
      Effect.provide(FetchHttpClient.layer)
    ))
})

describe("approval pages decide only on a POST from the page itself", () => {
  const served = <A, E>(
    effect: (baseUrl: string) => Effect.Effect<A, E, TmdbSimulator.TmdbSimulator | HttpClient.HttpClient>
  ) =>
    Effect.flatMap(TmdbConfig.TmdbConfig, ({ baseUrl }) => effect(baseUrl)).pipe(
      Effect.provide(Layer.merge(TmdbSimulator.layerServer(), FetchHttpClient.layer))
    )
  const callback = "http://127.0.0.1:8788/callback/5tate"

  /** A v4 request token created for `redirect_to`. */
  const newV4Token = (baseUrl: string, redirect_to = callback) =>
    Effect.map(post("/4/auth/request_token", { redirect_to }, baseUrl), (r) => field(r, "request_token"))

  const v4Exchange = (baseUrl: string, request_token: string) =>
    post("/4/auth/access_token", { request_token }, baseUrl)

  it.effect("a GET carrying a decision decides nothing: the page is the form, the token stays pending", () =>
    served((baseUrl) =>
      Effect.gen(function*() {
        const v3 = yield* newToken(baseUrl)
        for (const decision of ["approve", "deny"]) {
          const page = yield* visit(
            `${baseUrl}/authenticate/${v3}?redirect_to=${
              encodeURIComponent(callback)
            }&decision=${decision}&username=demo`,
            "manual"
          )
          assert.strictEqual(page.status, 200)
          assert.isNull(page.location)
          assert.include(page.text, `<form method="post" action="/authenticate/${v3}">`)
        }
        assertNotApproved(yield* newSession(v3, baseUrl))

        const v4 = yield* newV4Token(baseUrl)
        const page = yield* visit(`${baseUrl}/auth/access?request_token=${v4}&decision=approve`, "manual")
        assert.strictEqual(page.status, 200)
        assert.isNull(page.location)
        assert.include(page.text, `<form method="post" action="/auth/access">`)
        assertTmdbError(yield* v4Exchange(baseUrl, v4), 41)
        // the pages may not be framed by another site to have their buttons clicked
        assert.strictEqual(page.headers["x-frame-options"], "DENY")
        assert.strictEqual(page.headers["content-security-policy"], "frame-ancestors 'none'")
      })
    ))

  it.effect("a POST from another origin, or with no origin, decides nothing; one from the page decides", () =>
    served((baseUrl) =>
      Effect.gen(function*() {
        const port = new URL(baseUrl).port
        const v3 = yield* newToken(baseUrl)
        const v3Page = `${baseUrl}/authenticate/${v3}?redirect_to=${encodeURIComponent(callback)}`
        for (
          const origin of ["https://evil.example", "null", `http://localhost:${port}`, `https://127.0.0.1:${port}`]
        ) {
          const forged = yield* clickApproval(v3Page, "approve", { origin })
          assert.strictEqual(forged.status, 403, origin)
          assert.isNull(forged.location, origin)
        }
        const form = `request_token=${v3}&redirect_to=${encodeURIComponent(callback)}&decision=approve`
        for (
          const headers of [
            {}, // a client that says nothing
            { "sec-fetch-site": "cross-site" },
            { "sec-fetch-site": "same-site" },
            { origin: "https://evil.example", "sec-fetch-site": "same-origin" }
          ]
        ) {
          const forged = yield* rawRequest(baseUrl, {
            method: "POST",
            path: `/authenticate/${v3}`,
            headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
            body: form
          })
          assert.strictEqual(forged.status, 403, JSON.stringify(headers))
          assert.isUndefined(forged.headers.location)
        }
        assertNotApproved(yield* newSession(v3, baseUrl))
        const clicked = yield* clickApproval(v3Page, "approve")
        assert.strictEqual(clicked.status, 302)
        assert.strictEqual(clicked.location, `${callback}?request_token=${v3}&approved=true`)
        assert.strictEqual((yield* newSession(v3, baseUrl)).status, 200)

        // a browser that sends no Origin but says same-origin is the page
        const denied = yield* newToken(baseUrl)
        const sameOrigin = yield* rawRequest(baseUrl, {
          method: "POST",
          path: `/authenticate/${denied}`,
          headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
          body: `decision=deny`
        })
        assert.strictEqual(sameOrigin.status, 200)
        assert.include(sameOrigin.text, "Denied")

        const v4 = yield* newV4Token(baseUrl)
        const v4Page = `${baseUrl}/auth/access?request_token=${v4}`
        const forged = yield* clickApproval(v4Page, "approve", { origin: "https://evil.example" })
        assert.strictEqual(forged.status, 403)
        assertTmdbError(yield* v4Exchange(baseUrl, v4), 41)
        const v4Clicked = yield* clickApproval(v4Page, "approve")
        assert.strictEqual(v4Clicked.status, 302)
        assert.strictEqual(v4Clicked.location, callback)
        assert.strictEqual((yield* v4Exchange(baseUrl, v4)).status, 200)
      })
    ))

  it.effect("a scripted decision waits for a page no other site sent the browser to", () =>
    served((baseUrl) =>
      Effect.gen(function*() {
        const sim = yield* simulator
        yield* sim.scriptApproval({ decision: "approve" })
        const request_token = yield* newToken(baseUrl)
        const fromElsewhere = yield* rawRequest(baseUrl, {
          path: `/authenticate/${request_token}`,
          headers: { "sec-fetch-site": "cross-site" }
        })
        assert.strictEqual(fromElsewhere.status, 200)
        assert.include(fromElsewhere.text, "<form")
        assertNotApproved(yield* newSession(request_token, baseUrl))
        // typed in, opened by a program, or followed from a page of the same site: the script applies
        const opened = yield* rawRequest(baseUrl, {
          path: `/authenticate/${request_token}`,
          headers: { "sec-fetch-site": "none" }
        })
        assert.include(opened.text, "You can close this window")
        assert.strictEqual((yield* newSession(request_token, baseUrl)).status, 200)
      })
    ))

  it.effect("a redirect_to that is not an http(s) URL gets a 400 page and no Location; nothing is decided", () =>
    served((baseUrl) =>
      Effect.gen(function*() {
        const sim = yield* simulator
        yield* sim.scriptApproval({ decision: "approve", times: "always" })
        const hostile = [
          "javascript:alert(1)",
          "JavaScript:alert(document.domain)",
          " javascript:alert(1)",
          "java\tscript:alert(1)",
          "data:text/html,<script>alert(1)</script>",
          "vbscript:msgbox(1)",
          "file:///etc/passwd",
          "/relative/callback",
          "//evil.example/callback",
          "http://127.0.0.1:8788/cb\r\nset-cookie: a=b",
          ""
        ]
        for (const redirect_to of hostile) {
          const v3 = yield* newToken(baseUrl)
          const page = yield* visit(
            `${baseUrl}/authenticate/${v3}?redirect_to=${encodeURIComponent(redirect_to)}`,
            "manual"
          )
          assert.strictEqual(page.status, 400, JSON.stringify(redirect_to))
          assert.isNull(page.location, JSON.stringify(redirect_to))
          assert.include(page.text, "redirect_to must be an absolute http or https URL")
          // a click on the page, with the same redirect_to in its form
          const clicked = yield* rawRequest(baseUrl, {
            method: "POST",
            path: `/authenticate/${v3}`,
            headers: { "content-type": "application/x-www-form-urlencoded", origin: baseUrl },
            body: new URLSearchParams({ redirect_to, decision: "approve" }).toString()
          })
          assert.strictEqual(clicked.status, 400, JSON.stringify(redirect_to))
          assert.isUndefined(clicked.headers.location)
          assertNotApproved(yield* newSession(v3, baseUrl))

          const v4 = yield* newV4Token(baseUrl, redirect_to)
          const v4Page = yield* visit(`${baseUrl}/auth/access?request_token=${v4}`, "manual")
          assert.strictEqual(v4Page.status, 400, JSON.stringify(redirect_to))
          assert.isNull(v4Page.location)
          assertTmdbError(yield* v4Exchange(baseUrl, v4), 41)
        }
        // http and https ones are followed, as TMDB does, to any origin
        for (const redirect_to of ["https://app.example/callback?x=1", "http://127.0.0.1:8788/cb"]) {
          const v3 = yield* newToken(baseUrl)
          const page = yield* visit(
            `${baseUrl}/authenticate/${v3}?redirect_to=${encodeURIComponent(redirect_to)}`,
            "manual"
          )
          assert.strictEqual(page.status, 302)
          assert.strictEqual(
            page.location,
            `${redirect_to}${redirect_to.includes("?") ? "&" : "?"}request_token=${v3}&approved=true`
          )
        }
      })
    ))
})

// Declared last: @effect/vitest's `layer` replaces the methods of the shared `it` it is given,
// so `it.effect` declared after it would share this block's runtime (and TestClock).
layer(TmdbSimulator.layer())("credentials and routing", (it) => {
  it.effect("GET /3/authentication answers success with a Bearer token", () =>
    Effect.gen(function*() {
      const reply = yield* get("/3/authentication")
      assert.strictEqual(reply.status, 200)
      assert.deepStrictEqual(reply.body, { success: true })
      assert.strictEqual(reply.headers["content-type"], JSON_TYPE)
    }))

  it.effect("accepts the api_key query parameter", () =>
    Effect.gen(function*() {
      const reply = yield* send(
        HttpClientRequest.get(`${API}/3/authentication`).pipe(
          HttpClientRequest.setUrlParam("api_key", TmdbSimulator.apiKey)
        )
      )
      assert.strictEqual(reply.status, 200)
      assert.match(TmdbSimulator.apiKey, HEX32)
    }))

  it.effect("refuses missing or wrong credentials with 401, code 7", () =>
    Effect.gen(function*() {
      const none = yield* send(HttpClientRequest.get(`${API}/3/authentication`))
      assertTmdbError(none, 7)
      const wrongBearer = yield* send(
        HttpClientRequest.get(`${API}/3/authentication`).pipe(HttpClientRequest.bearerToken("eyJ.nope.x"))
      )
      assertTmdbError(wrongBearer, 7)
      const wrongKey = yield* send(
        HttpClientRequest.get(`${API}/3/authentication`).pipe(
          HttpClientRequest.setUrlParam("api_key", "0123456789abcdef0123456789abcdef")
        )
      )
      assertTmdbError(wrongKey, 7)
    }))

  it.effect("answers 404 (34) for an unknown path and 405 (42) for a wrong method", () =>
    Effect.gen(function*() {
      assertTmdbError(yield* get("/3/authentication/nope"), 34)
      assertTmdbError(yield* get("/3/constructor"), 34)
      assertTmdbError(yield* get("/3/authentication/session"), 42)
      assertTmdbError(yield* post("/3/authentication", {}), 42)
      assertTmdbError(yield* del("/3/authentication/token/new", {}), 42)
    }))

  it.effect("answers the legacy GET forms of validate_with_login and session/new, fields in the query", () =>
    Effect.gen(function*() {
      const request_token = yield* newToken()
      const denied = yield* get("/3/authentication/session/new")
      assert.strictEqual(denied.status, 401)
      assert.deepStrictEqual(denied.body, { ...errorBody(17), failure: true })
      assertTmdbError(yield* get("/3/authentication/token/validate_with_login", { username: "x", password: "y" }), 30)
      const approved = yield* get("/3/authentication/token/validate_with_login", {
        ...TmdbSimulator.defaultAccount,
        request_token
      })
      assert.strictEqual(approved.status, 200)
      const session = yield* get("/3/authentication/session/new", { request_token })
      assert.match(field(session, "session_id"), HEX40)
      assertTmdbError(yield* get("/3/authentication/session/new", { request_token }), 33)
    }))

  it.effect("answers 400 (47) for a body that is not a JSON object", () =>
    Effect.gen(function*() {
      const text = yield* send(
        HttpClientRequest.post(`${API}/3/authentication/session/new`).pipe(
          withBearer,
          HttpClientRequest.bodyText("request_token=abc", "application/x-www-form-urlencoded")
        )
      )
      assertTmdbError(text, 47)
      assertTmdbError(yield* post("/3/authentication/session/new", ["abc"]), 47)
    }))

  it.effect("the default bearer token is a JWT shaped like TMDB's", () =>
    Effect.sync(() => {
      const [header, payload, signature] = TmdbSimulator.bearerToken.split(".")
      const decode = (segment: string | undefined) => JSON.parse(Buffer.from(segment!, "base64url").toString("utf8"))
      assert.deepStrictEqual(decode(header), { alg: "HS256", typ: "JWT" })
      const claims = decode(payload)
      assert.strictEqual(claims.aud, TmdbSimulator.apiKey)
      assert.deepStrictEqual(claims.scopes, ["api_read"])
      assert.strictEqual(claims.nbf, 1700000000)
      assert.strictEqual(claims.version, 1)
      assert.match(signature!, /^[A-Za-z0-9_-]+$/)
    }))
})
