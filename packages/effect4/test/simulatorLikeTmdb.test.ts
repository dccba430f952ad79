/**
 * Where the simulator answers as TMDB does, so a test that passes here does not fail against
 * TMDB: redirects after approval, the opt-in rate limit, CORS for a page in a browser, guest
 * session expiry.
 */
import { assert, describe, it } from "@effect/vitest"
import { Array as Arr, DateTime, Duration, Effect, Fiber, Layer, Redacted } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import { TestClock } from "effect/testing"
import { Authentication, TmdbConfig, TmdbRateLimiter } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"

const API = "https://api.themoviedb.org"
const WEB = "https://www.themoviedb.org"

interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

const send = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.gen(function*() {
    const response = yield* (yield* HttpClient.HttpClient).execute(request)
    const text = yield* response.text
    const body: unknown = text === "" || !response.headers["content-type"]?.startsWith("application/json")
      ? text
      : JSON.parse(text)
    return { status: response.status, headers: response.headers, body } satisfies Reply
  })

const get = (url: string, query: Record<string, string> = {}) =>
  send(
    HttpClientRequest.get(url).pipe(
      HttpClientRequest.bearerToken(TmdbSimulator.bearerToken),
      HttpClientRequest.setUrlParams(query)
    )
  )

const post = (url: string, body: unknown) =>
  send(
    HttpClientRequest.post(url).pipe(
      HttpClientRequest.bearerToken(TmdbSimulator.bearerToken),
      HttpClientRequest.bodyJsonUnsafe(body)
    )
  )

const field = (reply: Reply, name: string): string => {
  const value = (reply.body as Record<string, unknown>)[name]
  assert.isString(value, `${name} in ${JSON.stringify(reply.body)}`)
  return value as string
}

const simulator = TmdbSimulator.TmdbSimulator

/**
 * How many sleeps wait on the TestClock: the 4.1 TestClock keeps them but no longer offers them
 * (1.x's `TestClock.sleeps()`), so this reads its state.
 */
const pendingSleeps = TestClock.testClockWith((clock) =>
  Effect.sync(() => (clock as unknown as { readonly sleeps: ReadonlyArray<unknown> }).sleeps.length)
)

/** Waits, on the real clock, until `done` holds (requests over loopback take real time). */
const eventually = (done: Effect.Effect<boolean>) =>
  Effect.gen(function*() {
    while (!(yield* done)) yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 2)))
  })

describe("redirects after approval, as TMDB sends them", () => {
  const inMemory = <A, E>(effect: Effect.Effect<A, E, TmdbSimulator.TmdbSimulator | HttpClient.HttpClient>) =>
    Effect.provide(effect, TmdbSimulator.layer())

  it.effect("v4: to redirect_to exactly as given, approved or denied", () =>
    inMemory(Effect.gen(function*() {
      const sim = yield* simulator
      const redirect_to = "http://127.0.0.1:8788/callback/5tate?keep=this&and=that"
      for (const decision of ["approve", "deny"] as const) {
        const request_token = field(yield* post(`${API}/4/auth/request_token`, { redirect_to }), "request_token")
        yield* sim.scriptApproval({ decision })
        const page = yield* get(`${WEB}/auth/access`, { request_token })
        assert.strictEqual(page.status, 302)
        assert.strictEqual(page.headers["location"], redirect_to)
      }
    })))

  it.effect("v3: to redirect_to with request_token and approved=true or denied=true appended", () =>
    inMemory(Effect.gen(function*() {
      const sim = yield* simulator
      const redirect_to = "http://127.0.0.1:8788/callback/5tate?keep=this"
      for (const [decision, outcome] of [["approve", "approved=true"], ["deny", "denied=true"]] as const) {
        const request_token = field(yield* get(`${API}/3/authentication/token/new`), "request_token")
        yield* sim.scriptApproval({ decision })
        const page = yield* get(`${WEB}/authenticate/${request_token}`, { redirect_to })
        assert.strictEqual(page.status, 302)
        assert.strictEqual(page.headers["location"], `${redirect_to}&request_token=${request_token}&${outcome}`)
      }
    })))
})

describe("a person's click on the approval page, in memory as served", () => {
  const inMemory = <A, E>(effect: Effect.Effect<A, E, TmdbSimulator.TmdbSimulator | HttpClient.HttpClient>) =>
    Effect.provide(effect, TmdbSimulator.layer())

  /** The page's form posted back, with `origin` as the browser would send it. */
  const click = (request_token: string, origin: string, fields: Record<string, string>) =>
    send(
      HttpClientRequest.post(`${WEB}/authenticate/${request_token}`).pipe(
        HttpClientRequest.setHeader("origin", origin),
        HttpClientRequest.bodyUrlParams(fields)
      )
    )

  it.effect("only a POST from the page's own origin decides; then it redirects as a scripted one", () =>
    inMemory(Effect.gen(function*() {
      const redirect_to = "http://127.0.0.1:8788/callback/5tate"
      const request_token = field(yield* get(`${API}/3/authentication/token/new`), "request_token")
      const form = { request_token, redirect_to, decision: "approve", username: "" }
      // a link with a decision, a post from another site: the form again, or refused
      const linked = yield* get(`${WEB}/authenticate/${request_token}`, { redirect_to, decision: "approve" })
      assert.strictEqual(linked.status, 200)
      assert.include(String(linked.body), "<form method=\"post\"")
      const forged = yield* click(request_token, "https://evil.example", form)
      assert.strictEqual(forged.status, 403)
      assert.isUndefined(forged.headers["location"])
      const unapproved = yield* post(`${API}/3/authentication/session/new`, { request_token })
      assert.strictEqual(unapproved.status, 401)
      // the page's own click
      const clicked = yield* click(request_token, WEB, form)
      assert.strictEqual(clicked.status, 302)
      assert.strictEqual(clicked.headers["location"], `${redirect_to}?request_token=${request_token}&approved=true`)
      assert.strictEqual((yield* post(`${API}/3/authentication/session/new`, { request_token })).status, 200)
    })))

  it.effect("redirect_to=javascript:alert(1) gets a 400 page and no Location, scripted or clicked", () =>
    inMemory(Effect.gen(function*() {
      const redirect_to = "javascript:alert(1)"
      const request_token = field(yield* get(`${API}/3/authentication/token/new`), "request_token")
      yield* (yield* simulator).scriptApproval({ decision: "approve" })
      const page = yield* get(`${WEB}/authenticate/${request_token}`, { redirect_to })
      assert.strictEqual(page.status, 400)
      assert.isUndefined(page.headers["location"])
      const clicked = yield* click(request_token, WEB, { redirect_to, decision: "approve" })
      assert.strictEqual(clicked.status, 400)
      assert.isUndefined(clicked.headers["location"])
      assert.strictEqual((yield* post(`${API}/3/authentication/session/new`, { request_token })).status, 401)
    })))
})

describe("the opt-in rate limit, over loopback HTTP", () => {
  it.effect("off by default: a burst of 60 at one instant all pass", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* TmdbConfig.TmdbConfig
      const replies = yield* Effect.forEach(Arr.range(1, 60), () => get(`${baseUrl}/3/authentication`), {
        concurrency: "unbounded"
      })
      assert.deepStrictEqual(Arr.dedupe(replies.map((r) => r.status)), [200])
    }).pipe(Effect.provide(Layer.merge(TmdbSimulator.layerServer(), FetchHttpClient.layer))))

  it.effect("a burst beyond the limit gets 429, code 25 and Retry-After; the window slides", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* TmdbConfig.TmdbConfig
      const burst = yield* Effect.forEach(Arr.range(1, 8), () => get(`${baseUrl}/3/authentication`), {
        concurrency: "unbounded"
      })
      assert.deepStrictEqual(burst.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 429, 429, 429])
      const limited = burst.find((r) => r.status === 429)!
      assert.deepStrictEqual(limited.body, {
        success: false,
        status_code: 25,
        status_message: "Your request count (#) is over the allowed limit of (40)."
      })
      assert.strictEqual(limited.headers["retry-after"], "1")
      // the refused requests took no room: a second later the window is empty again
      yield* TestClock.adjust("999 millis")
      assert.strictEqual((yield* get(`${baseUrl}/3/authentication`)).status, 429)
      yield* TestClock.adjust("1 millis")
      const next = yield* Effect.forEach(Arr.range(1, 6), () => get(`${baseUrl}/3/authentication`))
      assert.deepStrictEqual(next.map((r) => r.status), [200, 200, 200, 200, 200, 429])
      // every one reached the simulator: refused, not dropped
      assert.strictEqual((yield* (yield* simulator).requests).length, 15)
    }).pipe(Effect.provide(Layer.merge(TmdbSimulator.layerServer({ rateLimit: { limit: 5 } }), FetchHttpClient.layer))))

  it.effect("the library, paced at the same limit, hears no 429", () =>
    Effect.gen(function*() {
      const sim = yield* TmdbSimulator.make({ rateLimit: { limit: 5 } })
      const baseUrl = yield* TmdbSimulator.serve().pipe(Effect.provideService(simulator, sim))
      const seen = Effect.map(sim.requests, (requests) => requests.length)
      const fiber = yield* Effect.forkChild(
        Effect.forEach(Arr.range(1, 12), () => Authentication.validateKey(), { concurrency: "unbounded" }).pipe(
          Effect.provide(TmdbConfig.layer({ baseUrl, retry: false, rateLimit: { limit: 5, interval: "1 second" } })),
          Effect.provide(TmdbRateLimiter.layer)
        )
      )
      // one second at a time, once that second's requests have arrived and the next waits
      for (const arrived of [5, 10]) {
        yield* eventually(
          Effect.zipWith(seen, pendingSleeps, (n, sleeps) => n > arrived || (n === arrived && sleeps > 0))
        )
        assert.strictEqual(yield* seen, arrived, "no more than the limit in a second")
        // the interval after the answers, and the margin the limiter keeps past it
        yield* TestClock.adjust("1005 millis")
      }
      const answers = yield* Fiber.join(fiber)
      assert.strictEqual(answers.length, 12)
      assert.strictEqual(yield* seen, 12)
    }).pipe(
      Effect.scoped,
      Effect.provide(Layer.merge(TmdbSimulator.credentials, FetchHttpClient.layer))
    ))

  it.effect("a limit that is not a positive whole number is refused", () =>
    Effect.gen(function*() {
      for (const limit of [0, -1, 1.5, Number.NaN]) {
        const exit = yield* Effect.exit(TmdbSimulator.make({ rateLimit: { limit } }))
        assert.isTrue(exit._tag === "Failure", `limit ${limit}`)
      }
      const zero = yield* Effect.exit(TmdbSimulator.make({ rateLimit: { limit: 1, interval: 0 } }))
      assert.isTrue(zero._tag === "Failure")
    }))
})

describe("CORS, over loopback HTTP", () => {
  /** A raw request with the headers a browser adds (fetch in Node sends `Origin` as given). */
  const browser = (url: string, init: RequestInit) =>
    Effect.promise(async () => {
      const response = await fetch(url, init)
      await response.arrayBuffer()
      return { status: response.status, headers: Object.fromEntries(response.headers) }
    })

  it.effect("a preflight allows the methods and headers the library sends, and reaches no endpoint", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* TmdbConfig.TmdbConfig
      const preflight = yield* browser(`${baseUrl}/3/authentication/session/new`, {
        method: "OPTIONS",
        headers: {
          origin: "http://localhost:5173",
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization,content-type"
        }
      })
      assert.strictEqual(preflight.status, 204)
      assert.strictEqual(preflight.headers["access-control-allow-origin"], "*")
      const methods = preflight.headers["access-control-allow-methods"]?.split(/,\s*/)
      assert.includeMembers(methods ?? [], ["GET", "POST", "DELETE"])
      const headers = preflight.headers["access-control-allow-headers"]?.toLowerCase().split(/,\s*/)
      assert.includeMembers(headers ?? [], ["authorization", "content-type"])
      assert.deepStrictEqual(yield* (yield* simulator).requests, [])
    }).pipe(Effect.provide(TmdbSimulator.layerServer())))

  it.effect("every answer may be read from any origin: success, error, throttling, approval page", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* TmdbConfig.TmdbConfig
      const origin = { origin: "http://localhost:5173" }
      const ok = yield* browser(`${baseUrl}/3/authentication/token/new`, {
        headers: { ...origin, authorization: `Bearer ${TmdbSimulator.bearerToken}` }
      })
      assert.strictEqual(ok.status, 200)
      const refused = yield* browser(`${baseUrl}/3/authentication`, { headers: origin })
      assert.strictEqual(refused.status, 401)
      yield* (yield* simulator).inject(TmdbSimulator.Fault.RateLimit({ retryAfter: 3 }))
      const throttled = yield* browser(`${baseUrl}/3/authentication`, { headers: origin })
      assert.strictEqual(throttled.status, 429)
      const page = yield* browser(`${baseUrl}/authenticate/nope`, { headers: origin })
      assert.strictEqual(page.status, 404)
      for (const answer of [ok, refused, throttled, page]) {
        assert.strictEqual(answer.headers["access-control-allow-origin"], "*")
      }
      // a page can read Retry-After only if it is exposed
      assert.include(throttled.headers["access-control-expose-headers"]?.toLowerCase(), "retry-after")
    }).pipe(Effect.provide(TmdbSimulator.layerServer())))
})

describe("guest sessions", () => {
  const rate = (movie_id: number | string, query: Record<string, string>, value: unknown = 8.5) =>
    send(
      HttpClientRequest.post(`${API}/3/movie/${movie_id}/rating`).pipe(
        HttpClientRequest.bearerToken(TmdbSimulator.bearerToken),
        HttpClientRequest.setUrlParams(query),
        HttpClientRequest.bodyJsonUnsafe({ value })
      )
    )
  const refused = {
    success: false,
    status_code: 3,
    status_message: "Authentication failed: You do not have permissions to access the service."
  }

  it.effect("expire 24 hours after creation, on the Clock: then using one is 401, code 3", () =>
    Effect.gen(function*() {
      yield* TestClock.adjust("5 minutes")
      const guest = yield* Authentication.createGuestSession()
      // what TMDB says is what the simulator does
      assert.strictEqual(DateTime.formatIso(guest.expires_at), "1970-01-02T00:05:00.000Z")
      const guest_session_id = Redacted.value(guest.guest_session_id)
      const first = yield* rate(550, { guest_session_id })
      assert.strictEqual(first.status, 201)
      assert.deepStrictEqual(first.body, { success: true, status_code: 1, status_message: "Success." })
      yield* TestClock.adjust(Duration.subtract(Duration.hours(24), Duration.millis(1)))
      const again = yield* rate(550, { guest_session_id }, 7)
      assert.strictEqual(again.status, 201)
      assert.strictEqual((again.body as { status_code: number }).status_code, 12)
      yield* TestClock.adjust("1 millis")
      const expired = yield* rate(550, { guest_session_id })
      assert.strictEqual(expired.status, 401)
      assert.deepStrictEqual(expired.body, refused)
      // a new one has its own 24 hours
      const fresh = yield* Authentication.createGuestSession()
      assert.strictEqual(DateTime.formatIso(fresh.expires_at), "1970-01-03T00:05:00.000Z")
    }).pipe(Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.credentials))))

  it.effect("guestSessionTtl shortens it; an unknown id or none is refused the same way", () =>
    Effect.gen(function*() {
      const guest = yield* Authentication.createGuestSession()
      const guest_session_id = Redacted.value(guest.guest_session_id)
      assert.strictEqual((yield* rate(13, { guest_session_id })).status, 201)
      yield* TestClock.adjust("60 minutes")
      assert.deepStrictEqual((yield* rate(13, { guest_session_id })).body, refused)
      assert.deepStrictEqual((yield* rate(13, { guest_session_id: "0".repeat(32) })).body, refused)
      assert.deepStrictEqual((yield* rate(13, {})).body, refused)
    }).pipe(
      Effect.provide(Layer.merge(TmdbSimulator.layer({ guestSessionTtl: "60 minutes" }), TmdbSimulator.credentials))
    ))

  it.effect("a rating is 0.5 to 10 in steps of 0.5 (else 400, code 18) of a known movie; a user session may rate too", () =>
    Effect.gen(function*() {
      const session = yield* Authentication.loginWithPassword(TmdbSimulator.defaultAccount)
      const session_id = Redacted.value(session.session_id)
      for (const value of [0, 10.5, 7.3, "8"]) {
        const bad = yield* rate(550, { session_id }, value)
        assert.strictEqual(bad.status, 400, `value ${value}`)
        assert.strictEqual((bad.body as { status_code: number }).status_code, 18)
      }
      assert.strictEqual((yield* rate(550, { session_id }, 0.5)).status, 201)
      // the path's movie id, read by the router, is a positive integer or the movie is unknown
      for (const movie_id of ["0", "01", "abc"]) {
        const unknown = yield* rate(movie_id, { session_id })
        assert.strictEqual(unknown.status, 404, `movie ${movie_id}`)
        assert.strictEqual((unknown.body as { status_code: number }).status_code, 34)
      }
      assert.strictEqual((yield* rate(550, { session_id: "f".repeat(40) })).status, 401)
    }).pipe(Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.credentials))))
})
