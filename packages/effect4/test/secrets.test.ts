/**
 * Secrets never leak. A recognisable api_key, Bearer token, password, session id and access
 * token go through every endpoint (v3, account, v4) and every failure kind — each simulator
 * fault, a server echoing the request back, wrong password, wrong key, invalid tokens, bad input,
 * timeouts, refused connections over loopback — and every output is searched for them: error
 * values and success values (String, JSON.stringify, util.inspect at depth 10, `.message`,
 * Cause.pretty), every log line (a test Logger at level All, with the values as annotations), and
 * every span name, attribute, event and exit (a test Tracer). Also: the span names and their
 * attributes (endpoint, HTTP status, TMDB status_code, attempts).
 */
import { assert, describe, it } from "@effect/vitest"
import type { Duration } from "effect"
import { Effect, Exit, Fiber, Layer, Option, Redacted, Result } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { Account, Authentication, AuthV4, TmdbConfig, TmdbCredentials } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { assertNoDefects, type Collector, failureTag, formsOf, makeCollector as collector } from "./utils/collector.js"
import { appToken } from "./utils/jwt.js"
import { freePort } from "./utils/ports.js"

const { Fault } = TmdbSimulator

// ---------------------------------------------------------------------------------------------
// The secrets, and how to find them

const KEY = "deadbeef5ec2e7a91c0ffeeba5eba11d"
const WRONG_KEY = "badc0ffee0ddf00d5ec2e7ba5eba11ff"
const BEARER = appToken({ aud: KEY, sub: "secret-suite-bearer" }, "S3cr3tB34r3rS1gn4tur3x")
const PASSWORD = `p4ss wörd&=+/?"S3CRET"<'>`
const WRONG_PASSWORD = `wr0ng-${PASSWORD}`
const FAKE_SESSION = "fake-session-S3CRET+/=?&x"
const FAKE_ACCESS = "fake.access-T0KEN-S3CRET"
const USERNAME = "secret-suite-user"

/** Fragments no output may contain either: they catch a partial or re-encoded leak. */
const MARKERS = ["S3CRET", "S3cr3tB34r3r", "5ec2e7a91c0ffee", "0ddf00d5ec2e7b", "T0KEN"]
const FIXED = [KEY, WRONG_KEY, BEARER, PASSWORD, WRONG_PASSWORD, FAKE_SESSION, FAKE_ACCESS]
const makeCollector = () => collector(FIXED, MARKERS)

const accounts = [{ username: USERNAME, password: PASSWORD }]
const simulatorOptions = { apiKeys: [KEY], bearerTokens: [BEARER], accounts }

// ---------------------------------------------------------------------------------------------
// The collector: a Tracer and a Logger that keep everything, and every rendering of every result

// ---------------------------------------------------------------------------------------------
// Scenarios

const simulator = TmdbSimulator.TmdbSimulator

/** Every endpoint, succeeding: the secrets produced are learned. */
const successFlow = (c: Collector, kind: "apiKey" | "bearer") =>
  Effect.gen(function*() {
    const sim = yield* simulator
    yield* c.observe("validateKey", Authentication.validateKey())
    const guest = yield* c.observe("createGuestSession", Authentication.createGuestSession())
    if (Exit.isSuccess(guest)) c.learn(guest.value.guest_session_id)
    const token = yield* Authentication.createRequestToken()
    yield* c.observe("createRequestToken", Authentication.createRequestToken())
    yield* c.observe(
      "createSessionWithLogin",
      Authentication.createSessionWithLogin({
        username: USERNAME,
        password: PASSWORD,
        request_token: token.request_token
      })
    )
    const session = yield* c.observe("createSession", Authentication.createSession(token))
    assert.isTrue(Exit.isSuccess(session), "createSession")
    if (Exit.isFailure(session)) return
    c.learn(session.value.session_id)
    yield* c.observe("Account.details", Account.details({ session_id: session.value.session_id }))
    const access_token = yield* sim.grantAccessToken(USERNAME)
    c.learn(access_token)
    const converted = yield* c.observe(
      "createSessionFromV4Token",
      Authentication.createSessionFromV4Token({ access_token })
    )
    if (Exit.isSuccess(converted)) c.learn(converted.value.session_id)
    yield* c.observe(
      "withAccessToken(Account.details)",
      Account.details({ session_id: session.value.session_id }).pipe(AuthV4.withAccessToken(access_token))
    )
    yield* c.observe("deleteSession", Authentication.deleteSession({ session_id: session.value.session_id }))
    const login = yield* c.observe(
      "loginWithPassword",
      Authentication.loginWithPassword({ username: USERNAME, password: Redacted.make(PASSWORD) })
    )
    if (Exit.isSuccess(login)) c.learn(login.value.session_id)
    if (kind === "bearer") {
      const v4 = yield* c.observe("AuthV4.createRequestToken", AuthV4.createRequestToken())
      if (Exit.isSuccess(v4)) {
        yield* sim.approve(v4.value.request_token)
        const access = yield* c.observe("AuthV4.createAccessToken", AuthV4.createAccessToken(v4.value))
        if (Exit.isSuccess(access)) {
          c.learn(access.value.access_token)
          yield* c.observe("AuthV4.deleteAccessToken", AuthV4.deleteAccessToken(access.value))
        }
      }
      const again = yield* AuthV4.createRequestToken()
      yield* sim.approve(again.request_token)
      const v4Login = yield* c.observe("AuthV4.loginToSession", AuthV4.loginToSession(again))
      if (Exit.isSuccess(v4Login)) {
        c.learn(v4Login.value.access_token)
        c.learn(v4Login.value.session_id)
      }
    } else {
      yield* c.observe("AuthV4.createRequestToken (api_key)", AuthV4.createRequestToken())
    }
  })

/** The documented failures, each fed a secret. */
const failureFlow = (c: Collector) =>
  Effect.gen(function*() {
    const sim = yield* simulator
    yield* c.observe(
      "wrong password",
      Authentication.loginWithPassword({ username: USERNAME, password: WRONG_PASSWORD })
    )
    yield* c.observe("unknown token", Authentication.createSession({ request_token: "f".repeat(40) }))
    const pending = yield* Authentication.createRequestToken()
    yield* c.observe("unapproved token", Authentication.createSession(pending))
    yield* c.observe("details of an unknown session", Account.details({ session_id: FAKE_SESSION }))
    yield* c.observe("delete an unknown session", Authentication.deleteSession({ session_id: FAKE_SESSION }))
    yield* c.observe(
      "convert an unknown access token",
      Authentication.createSessionFromV4Token({ access_token: FAKE_ACCESS })
    )
    yield* c.observe("delete an unknown access token", AuthV4.deleteAccessToken({ access_token: FAKE_ACCESS }))
    yield* c.observe(
      "access token as credentials, unknown",
      Authentication.validateKey().pipe(AuthV4.withAccessToken(FAKE_ACCESS))
    )
    // Rejected locally: the value must not be repeated.
    const bad = [
      `${PASSWORD}\r\nX-Injected: 1`,
      PASSWORD.repeat(60),
      `\u0000${PASSWORD}`
    ]
    for (const value of bad) {
      yield* c.observe("bad password", Authentication.loginWithPassword({ username: USERNAME, password: value }))
      yield* c.observe("bad session id", Account.details({ session_id: value }))
      yield* c.observe("bad session id (delete)", Authentication.deleteSession({ session_id: Redacted.make(value) }))
      yield* c.observe("bad access token", Authentication.createSessionFromV4Token({ access_token: value }))
      yield* c.observe("bad access token (v4)", AuthV4.deleteAccessToken({ access_token: value }))
    }
    yield* c.observe(
      "access token with a line break as credentials",
      Authentication.validateKey().pipe(AuthV4.withAccessToken(`${FAKE_ACCESS}\r\nX: y`))
    )
    yield* c.observe(
      "wrong api_key",
      Authentication.validateKey().pipe(Effect.provide(TmdbCredentials.apiKey(WRONG_KEY).pipe(Layer.orDie)))
    )
    // Malformed credentials are InvalidCredentialsFormat, whose reason never repeats the value.
    for (const raw of [`Bearer ${BEARER}`, `${KEY}0`, `${KEY} ${KEY}`, `${BEARER}\r\n`, `${BEARER.slice(0, -3)}.x`]) {
      yield* c.observe(
        "parse",
        Effect.result(Effect.suspend(() =>
          Result.match(TmdbCredentials.parse(raw), {
            onFailure: Effect.fail,
            onSuccess: Effect.succeed
          })
        ))
      )
      yield* c.observe("layer", Authentication.validateKey().pipe(Effect.provide(TmdbCredentials.layer(raw))))
      yield* c.observe(
        "bearer",
        Authentication.validateKey().pipe(Effect.provide(TmdbCredentials.bearer(`${raw}\n${raw}`)))
      )
      yield* c.observe("apiKey", Authentication.validateKey().pipe(Effect.provide(TmdbCredentials.apiKey(`${raw} x`))))
    }
    yield* sim.clearFaults
  })

/** A server that echoes the request back, in every form, in each kind of error body. */
const echoFaults = (sent: ReadonlyArray<string>): Array<TmdbSimulator.Fault> => {
  const page = sent.flatMap(formsOf).join(" | ")
  const plain = sent.join(" ")
  return [
    Fault.Status({ status: 400, body: `<html><body>Bad request: ${page}</body></html>` }),
    Fault.Status({ status: 403, body: `${page}`.repeat(3) }),
    Fault.Status({
      status: 401,
      body: JSON.stringify({ success: false, status_code: 7, status_message: `Invalid API key: ${plain}` })
    }),
    Fault.Status({ status: 422, body: JSON.stringify({ errors: [`bad request: ${plain}`, plain] }) }),
    Fault.Status({
      status: 200,
      body: JSON.stringify({ success: false, status_code: 47, status_message: plain, failure: true })
    }),
    Fault.Status({ status: 200, body: JSON.stringify({ success: true, echo: plain, session_id: 42 }) }),
    Fault.Status({ status: 503, body: JSON.stringify({ status_code: 9, status_message: plain }) })
  ]
}

const plainFaults: Array<TmdbSimulator.Fault> = [
  Fault.Status({ status: 500 }),
  Fault.Status({ status: 200 }),
  Fault.Html({ status: 502 }),
  Fault.MalformedJson({ status: 200 }),
  Fault.Truncated({ status: 200 }),
  Fault.Refuse(),
  Fault.Drop({ afterProcessing: false }),
  Fault.Drop({ afterProcessing: true }),
  Fault.RateLimit({ retryAfter: 5 }),
  Fault.RateLimit({})
]

/** Every endpoint, with the secrets each one sends. */
const calls = (
  credential: string
): Array<
  {
    readonly label: string
    readonly sends: ReadonlyArray<string>
    readonly run: Effect.Effect<unknown, unknown, Authentication.Requirements>
  }
> => [
  { label: "validateKey", sends: [credential], run: Authentication.validateKey() },
  { label: "createGuestSession", sends: [credential], run: Authentication.createGuestSession() },
  { label: "createRequestToken", sends: [credential], run: Authentication.createRequestToken() },
  {
    label: "createSessionWithLogin",
    sends: [credential, PASSWORD],
    run: Authentication.createSessionWithLogin({
      username: USERNAME,
      password: PASSWORD,
      request_token: "f".repeat(40)
    })
  },
  { label: "createSession", sends: [credential], run: Authentication.createSession({ request_token: "f".repeat(40) }) },
  {
    label: "createSessionFromV4Token",
    sends: [credential, FAKE_ACCESS],
    run: Authentication.createSessionFromV4Token({ access_token: Redacted.make(FAKE_ACCESS) })
  },
  {
    label: "deleteSession",
    sends: [credential, FAKE_SESSION],
    run: Authentication.deleteSession({ session_id: FAKE_SESSION })
  },
  { label: "Account.details", sends: [credential, FAKE_SESSION], run: Account.details({ session_id: FAKE_SESSION }) },
  {
    label: "loginWithPassword",
    sends: [credential],
    run: Authentication.loginWithPassword({ username: USERNAME, password: PASSWORD })
  },
  { label: "AuthV4.createRequestToken", sends: [credential], run: AuthV4.createRequestToken() },
  {
    label: "AuthV4.createAccessToken",
    sends: [credential],
    run: AuthV4.createAccessToken({ request_token: "f".repeat(40) })
  },
  {
    label: "AuthV4.deleteAccessToken",
    sends: [credential, FAKE_ACCESS],
    run: AuthV4.deleteAccessToken({ access_token: FAKE_ACCESS })
  },
  {
    label: "withAccessToken(Account.details)",
    sends: [FAKE_ACCESS, FAKE_SESSION],
    run: Account.details({ session_id: FAKE_SESSION }).pipe(AuthV4.withAccessToken(FAKE_ACCESS))
  }
]

/**
 * Every fault on every endpoint, without retries. `advance` lets the clock run (TestClock in
 * memory, real time over loopback).
 */
const faultMatrix = (
  c: Collector,
  credential: string,
  options: {
    readonly advance: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
    readonly only?: ReadonlyArray<string> | undefined
    readonly timeout?: Duration.Input | undefined
  }
) =>
  Effect.gen(function*() {
    const sim = yield* simulator
    const selected = calls(credential).filter((call) => options.only === undefined || options.only.includes(call.label))
    for (const call of selected) {
      for (const fault of [...plainFaults, ...echoFaults(call.sends)]) {
        yield* sim.clearFaults
        yield* sim.inject(fault)
        yield* c.observe(`${call.label} / ${fault._tag}`, call.run)
      }
    }
    // Answers slower than the timeout: all at once, so the clock moves once.
    yield* sim.clearFaults
    yield* sim.inject(Fault.Delay({ duration: "1 minute" }), { times: selected.length })
    yield* options.advance(
      Effect.forEach(selected, (call) => c.observe(`${call.label} / Delay`, call.run), { concurrency: "unbounded" })
    )
    yield* sim.clearFaults
  }).pipe(Effect.provide(TmdbConfig.layer({ retry: false, timeout: options.timeout ?? "2 seconds" })))

/** Under TestClock: fork, let a few minutes pass, join. */
const withTestClock = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(effect)
    yield* TestClock.adjust("3 seconds")
    return yield* Fiber.join(fiber)
  })

const EXPECTED_TAGS = [
  "InvalidApiKey",
  "AuthenticationFailed",
  "InvalidLogin",
  "InvalidRequestToken",
  "SessionDenied",
  "ResourceNotFound",
  "RateLimited",
  "TmdbUnavailable",
  "TmdbApiError",
  "TransportError",
  "UnexpectedResponse",
  "InvalidInput",
  "InvalidCredentialsFormat"
]

const assertCoverage = (c: Collector, extra: ReadonlyArray<string> = []) => {
  const tags = new Set(c.outcomes.map(({ exit }) => failureTag(exit)))
  for (const tag of [...EXPECTED_TAGS, ...extra]) assert.isTrue(tags.has(tag), `no scenario ended in ${tag}`)
  const names = new Set(c.spans.map(({ span }) => span.name))
  for (
    const name of [
      "tmdb.Authentication.validateKey",
      "tmdb.Authentication.createGuestSession",
      "tmdb.Authentication.createRequestToken",
      "tmdb.Authentication.createSessionWithLogin",
      "tmdb.Authentication.createSession",
      "tmdb.Authentication.createSessionFromV4Token",
      "tmdb.Authentication.deleteSession",
      "tmdb.Authentication.loginWithPassword",
      "tmdb.Account.details",
      "tmdb.AuthV4.createRequestToken",
      "tmdb.AuthV4.createAccessToken",
      "tmdb.AuthV4.deleteAccessToken"
    ]
  ) assert.isTrue(names.has(name), `no span ${name}`)
  // The platform client's own span (which records url.full with the api_key) is never created.
  assert.isFalse([...names].some((name) => name.startsWith("http.client")), [...names].join(", "))
  assert.isAbove(c.logs.length, 100)
}

// ---------------------------------------------------------------------------------------------

describe("secrets never leak", () => {
  it.effect("the harness finds a leak: the platform client's own span and error carry the api_key", () =>
    Effect.gen(function*() {
      const c = makeCollector()
      const client = yield* HttpClient.HttpClient
      yield* c.instrument(Effect.gen(function*() {
        yield* yield* simulator.pipe(Effect.map((sim) => sim.inject(Fault.Refuse())))
        yield* c.observe("raw platform call", client.get(`https://api.themoviedb.org/3/authentication?api_key=${KEY}`))
      }))
      const spanWithKey = c.spans.find(({ span }) => String(span.attributes.get("url.full")).includes(KEY))
      assert.isDefined(spanWithKey, "the platform span records url.full with the key")
      assert.throws(() => c.assertNoLeak(), /a secret \(dead…\) leaked/)
    }).pipe(Effect.provide(TmdbSimulator.layer(simulatorOptions))))

  it.effect("api_key credentials: every endpoint, every failure, every fault (in memory)", () =>
    Effect.gen(function*() {
      const c = makeCollector()
      yield* c.instrument(Effect.gen(function*() {
        yield* successFlow(c, "apiKey")
        yield* failureFlow(c)
        yield* faultMatrix(c, KEY, { advance: withTestClock })
      }))
      assert.isAbove(c.learned.size, 4, "sessions and tokens were created and searched for")
      assertNoDefects(c)
      assertCoverage(c, ["BearerTokenRequired"])
      assert.isAbove(c.assertNoLeak(), 1000)
    }).pipe(
      Effect.provide(Layer.merge(TmdbSimulator.layer(simulatorOptions), TmdbCredentials.apiKey(KEY).pipe(Layer.orDie)))
    ))

  it.effect("Bearer credentials: every endpoint (v4 included), every failure, every fault (in memory)", () =>
    Effect.gen(function*() {
      const c = makeCollector()
      yield* c.instrument(Effect.gen(function*() {
        yield* successFlow(c, "bearer")
        yield* failureFlow(c)
        // The calls that send something besides the token (the api_key run covers the rest).
        yield* faultMatrix(c, BEARER, {
          advance: withTestClock,
          only: [
            "validateKey",
            "createSessionWithLogin",
            "createSessionFromV4Token",
            "deleteSession",
            "Account.details",
            "AuthV4.createAccessToken",
            "AuthV4.deleteAccessToken",
            "withAccessToken(Account.details)"
          ]
        })
      }))
      assert.isAbove(c.learned.size, 6)
      assertNoDefects(c)
      assertCoverage(c)
      assert.isAbove(c.assertNoLeak(), 1000)
    }).pipe(
      Effect.provide(
        Layer.merge(TmdbSimulator.layer(simulatorOptions), TmdbCredentials.bearer(BEARER).pipe(Layer.orDie))
      )
    ))

  it.live("over loopback HTTP with FetchHttpClient: faults, timeouts and a refused connection", () =>
    Effect.gen(function*() {
      const c = makeCollector()
      yield* c.instrument(Effect.gen(function*() {
        yield* successFlow(c, "apiKey")
        yield* faultMatrix(c, KEY, {
          advance: (effect) => effect,
          only: ["createSessionWithLogin", "Account.details", "deleteSession"],
          timeout: "300 millis"
        })
        const port = yield* freePort
        const refused = TmdbConfig.layer({ baseUrl: `http://127.0.0.1:${port}`, retry: false })
        for (const call of calls(KEY)) {
          yield* c.observe(`${call.label} / refused`, call.run.pipe(Effect.provide(refused)))
        }
      }))
      assertNoDefects(c)
      const tags = new Set(c.outcomes.map(({ exit }) => failureTag(exit)))
      for (const tag of ["TransportError", "UnexpectedResponse", "TmdbUnavailable", "RateLimited", "InvalidApiKey"]) {
        assert.isTrue(tags.has(tag), tag)
      }
      const refused = c.outcomes.filter(({ label }) => label.endsWith("/ refused"))
      assert.deepStrictEqual(
        refused.filter(({ exit }) => failureTag(exit) !== "TransportError").map(({ exit }) => failureTag(exit)),
        ["BearerTokenRequired", "BearerTokenRequired", "BearerTokenRequired"],
        "only v4 calls with an api_key end before connecting"
      )
      assert.isAbove(c.assertNoLeak(), 500)
    }).pipe(
      Effect.provide(
        Layer.mergeAll(
          TmdbSimulator.layerServer(simulatorOptions),
          TmdbCredentials.apiKey(KEY).pipe(Layer.orDie),
          FetchHttpClient.layer
        )
      )
    ))
})

describe("tracing", () => {
  const attributesOf = (c: Collector, name: string) =>
    c.spans.filter(({ span }) => span.name === name).map(({ span }) => Object.fromEntries(span.attributes))

  it.effect("each endpoint runs in its span, with endpoint, HTTP status and attempts", () =>
    Effect.gen(function*() {
      const c = makeCollector()
      yield* c.instrument(Authentication.loginWithPassword({ username: USERNAME, password: PASSWORD }))
      const login = c.spans.find(({ span }) => span.name === "tmdb.Authentication.loginWithPassword")
      assert.isDefined(login)
      const children = c.spans.filter(({ span }) =>
        Option.isSome(span.parent) && span.parent.value.spanId === login?.span.spanId
      ).map(({ span }) => span.name)
      assert.deepStrictEqual(children, [
        "tmdb.Authentication.createRequestToken",
        "tmdb.Authentication.createSessionWithLogin",
        "tmdb.Authentication.createSession"
      ])
      const [token] = attributesOf(c, "tmdb.Authentication.createRequestToken")
      assert.strictEqual(token?.["tmdb.endpoint"], "GET /3/authentication/token/new")
      assert.strictEqual(token?.["http.response.status_code"], 200)
      assert.strictEqual(token?.["tmdb.attempts"], 1)
      const [session] = attributesOf(c, "tmdb.Authentication.createSession")
      assert.strictEqual(session?.["tmdb.endpoint"], "POST /3/authentication/session/new")
      assert.strictEqual(session?.["tmdb.attempts"], 1)
      for (const { span } of c.spans) {
        assert.strictEqual(span.status._tag, "Ended")
        if (span.status._tag === "Ended") assert.isTrue(Exit.isSuccess(span.status.exit), span.name)
      }
    }).pipe(
      Effect.provide(Layer.merge(TmdbSimulator.layer(simulatorOptions), TmdbCredentials.apiKey(KEY).pipe(Layer.orDie)))
    ))

  it.effect("a failure records the TMDB status_code and error tag; a retry the attempt count", () =>
    Effect.gen(function*() {
      const c = makeCollector()
      const sim = yield* simulator
      yield* c.instrument(Effect.gen(function*() {
        const token = yield* Authentication.createRequestToken()
        yield* Effect.flip(
          Authentication.createSessionWithLogin({
            username: USERNAME,
            password: WRONG_PASSWORD,
            request_token: token.request_token
          })
        )
        yield* sim.inject(Fault.RateLimit({}), { times: 2 })
        yield* withTestClock(Authentication.validateKey())
        yield* sim.inject(Fault.Html({ status: 503 }), { times: 9 })
        yield* Effect.flip(withTestClock(Account.details({ session_id: FAKE_SESSION })))
      }))
      const [login] = attributesOf(c, "tmdb.Authentication.createSessionWithLogin")
      assert.deepInclude(login, {
        "tmdb.endpoint": "POST /3/authentication/token/validate_with_login",
        "http.response.status_code": 401,
        "tmdb.status_code": 30,
        "tmdb.error": "InvalidLogin",
        "tmdb.attempts": 1
      })
      const [validate] = attributesOf(c, "tmdb.Authentication.validateKey")
      assert.deepInclude(validate, { "http.response.status_code": 200, "tmdb.attempts": 3 })
      const [details] = attributesOf(c, "tmdb.Account.details")
      assert.deepInclude(details, {
        "tmdb.endpoint": "GET /3/account",
        "http.response.status_code": 503,
        "tmdb.error": "TmdbUnavailable",
        "tmdb.attempts": 4
      })
      const detailsSpan = c.spans.find(({ span }) => span.name === "tmdb.Account.details")
      assert.isTrue(detailsSpan?.span.status._tag === "Ended" && Exit.isFailure(detailsSpan.span.status.exit))
      c.assertNoLeak()
    }).pipe(
      Effect.provide(Layer.merge(TmdbSimulator.layer(simulatorOptions), TmdbCredentials.apiKey(KEY).pipe(Layer.orDie)))
    ))
})
