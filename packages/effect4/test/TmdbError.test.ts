/**
 * The status-code table, and every TMDB error shape through a real endpoint call.
 */
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Layer, Schema } from "effect"
import { readFileSync } from "node:fs"
import { Account, Authentication, AuthV4, TmdbConfig, TmdbCredentials, TmdbError } from "tmdb-effect"
import { replay } from "./utils/replay.js"
import type { Answer } from "./utils/replay.js"

const documented = JSON.parse(
  readFileSync(new URL("../../../fixtures/tmdb-status-codes.json", import.meta.url), "utf8")
).codes as Array<{ status_code: number; http_status: number; status_message: string }>

const key = "0123456789abcdef0123456789abcdef"
/** A structurally valid JWT, as TMDB's read access tokens are. */
const BEARER = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiIwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZiJ9.c2lnbmF0dXJl"
const env = Layer.mergeAll(TmdbCredentials.apiKey(key).pipe(Layer.orDie), TmdbConfig.layer({ retry: false }))

const answer = <A, E>(effect: Effect.Effect<A, E, Authentication.Requirements>, ...answers: Array<Answer>) =>
  effect.pipe(Effect.provide(replay(...answers).layer), Effect.provide(env), Effect.flip)

const body = (status_code: number) => {
  const info = TmdbError.statusCodes.get(status_code)!
  return { status: info.httpStatus, body: { success: false, status_code, status_message: info.status_message } }
}

describe("statusCodes", () => {
  it("holds every documented code with its HTTP status and message", () => {
    assert.strictEqual(TmdbError.statusCodes.size, 47)
    for (const code of documented) {
      const info = TmdbError.statusCodes.get(code.status_code)
      assert.strictEqual(info?.httpStatus, code.http_status, `code ${code.status_code}`)
      assert.strictEqual(info?.status_message, code.status_message, `code ${code.status_code}`)
    }
    const reasons = [...TmdbError.statusCodes.values()].map((c) => c.reason)
    assert.strictEqual(new Set(reasons).size, 47, "reason names are unique")
  })

  it("names, for every code, an error class of the library", () => {
    const classes = TmdbError.TmdbError.members.map((member) => member.identifier.replace("tmdb-effect/", ""))
    for (const code of TmdbError.statusCodes.values()) assert.include(classes, code.tag, `code ${code.status_code}`)
  })
})

describe("the codes each endpoint is known to answer", () => {
  it.effect("deleting an unknown session: 17 (peers), 6 and 34 (TMDB's table) keep their tags", () =>
    Effect.gen(function*() {
      const logout = Authentication.deleteSession({ session_id: "0123456789abcdef" })
      assert.strictEqual((yield* answer(logout, body(17)))._tag, "SessionDenied")
      assert.strictEqual((yield* answer(logout, body(6)))._tag, "ResourceNotFound")
      assert.strictEqual((yield* answer(logout, body(34)))._tag, "ResourceNotFound")
    }))
})

describe("isTmdbError and the TmdbError schema", () => {
  const samples = [
    new TmdbError.InvalidApiKey({ status_code: 7, status_message: "m", httpStatus: 401 }),
    new TmdbError.RateLimited({ status_message: "m", httpStatus: 429, retryAfter: Duration.seconds(1) }),
    new TmdbError.TmdbApiError({ status_message: "m", httpStatus: 400, errors: [] }),
    new TmdbError.TransportError({ reason: "Timeout", endpoint: "GET /3/authentication", detail: "d" }),
    new TmdbError.UnexpectedResponse({ endpoint: "GET /3/authentication", httpStatus: 200, reason: "r", excerpt: "" }),
    new TmdbError.InvalidInput({ field: "username", reason: "it is empty" }),
    new TmdbError.InvalidCredentialsFormat({ reason: "r" }),
    new TmdbError.BearerTokenRequired({ endpoint: "POST /4/auth/request_token" })
  ]

  it("recognise every error of the library, and nothing else", () => {
    for (const error of samples) {
      assert.isTrue(TmdbError.isTmdbError(error), error._tag)
      assert.isTrue(Schema.is(TmdbError.TmdbError)(error), error._tag)
    }
    for (const other of [new Error("x"), { _tag: "InvalidApiKey" }, null, "InvalidApiKey"]) {
      assert.isFalse(TmdbError.isTmdbError(other))
      assert.isFalse(Schema.is(TmdbError.TmdbError)(other))
    }
  })

  it.effect("recognise what an endpoint fails with", () =>
    Effect.gen(function*() {
      const error = yield* answer(Authentication.validateKey(), body(7))
      assert.isTrue(TmdbError.isTmdbError(error))
    }))
})

describe("error mapping", () => {
  // The login step can produce every endpoint-specific tag but SessionDenied and ResourceNotFound.
  const login = Authentication.createSessionWithLogin({ username: "jo", password: "pw", request_token: "abc" })
  const expectedForLogin: Record<number, string> = {
    3: "AuthenticationFailed",
    7: "InvalidApiKey",
    9: "TmdbUnavailable",
    10: "InvalidApiKey",
    11: "TmdbUnavailable",
    14: "AuthenticationFailed",
    15: "TmdbUnavailable",
    24: "TmdbUnavailable",
    25: "RateLimited",
    26: "InvalidLogin",
    30: "InvalidLogin",
    31: "AccountDisabled",
    32: "EmailNotVerified",
    33: "InvalidRequestToken",
    35: "AuthenticationFailed",
    36: "AuthenticationFailed",
    43: "TmdbUnavailable",
    45: "AccountDisabled",
    46: "TmdbUnavailable"
  }

  it.effect("every documented failure code picks its tag and keeps its fields", () =>
    Effect.gen(function*() {
      for (const code of documented) {
        if (code.http_status < 300) continue // success codes (1, 12, 13, 21, 40) are not failures by status
        const error = yield* answer(login, body(code.status_code))
        assert.strictEqual(error._tag, expectedForLogin[code.status_code] ?? "TmdbApiError", `code ${code.status_code}`)
        assert.strictEqual((error as { status_code?: number }).status_code, code.status_code)
        assert.strictEqual((error as { httpStatus?: number }).httpStatus, code.http_status)
        assert.strictEqual((error as { status_message?: string }).status_message, code.status_message)
      }
    }))

  it.effect("a code the endpoint does not document becomes TmdbApiError, keeping the error type honest", () =>
    Effect.gen(function*() {
      const error = yield* answer(Authentication.createGuestSession(), body(30))
      assert.strictEqual(error._tag, "TmdbApiError")
      assert.strictEqual((error as TmdbError.TmdbApiError).status_code, 30)
    }))

  it.effect("the failure: true shape decodes (recorded 'Session denied')", () =>
    Effect.gen(function*() {
      const error = yield* answer(Authentication.createSession({ request_token: "abc" }), {
        status: 401,
        body: { success: false, failure: true, status_code: 17, status_message: "Session denied." }
      })
      assert.strictEqual(error._tag, "SessionDenied")
      assert.include(error.message, "Session denied.")
    }))

  it.effect("the { errors } shape is TmdbApiError with its messages", () =>
    Effect.gen(function*() {
      const error = yield* answer(Authentication.createSession({ request_token: "abc" }), {
        status: 422,
        body: { errors: ["request_token must be provided"] }
      })
      assert.strictEqual(error._tag, "TmdbApiError")
      const apiError = error as TmdbError.TmdbApiError
      assert.deepStrictEqual(apiError.errors, ["request_token must be provided"])
      assert.strictEqual(apiError.status_code, undefined)
      assert.strictEqual(apiError.httpStatus, 422)
      assert.include(apiError.message, "request_token must be provided")
    }))

  it.effect("success: false with a code on HTTP 200 is still an error", () =>
    Effect.gen(function*() {
      const error = yield* answer(Authentication.validateKey(), {
        status: 200,
        body: { success: false, status_code: 7, status_message: "Invalid API key" }
      })
      assert.strictEqual(error._tag, "InvalidApiKey")
    }))

  it.effect("success: false on HTTP 200 is never a success value, even where the schema would accept it", () =>
    Effect.gen(function*() {
      const bare = { status: 200, body: { success: false } }
      for (
        const call of [
          Authentication.validateKey(),
          Authentication.deleteSession({ session_id: "0123456789abcdef" }),
          AuthV4.deleteAccessToken({ access_token: "eyJhbGciOiJIUzI1NiJ9.e30.c2ln" }).pipe(
            Effect.provide(TmdbCredentials.bearer(BEARER))
          )
        ] as const
      ) {
        const error = yield* answer(
          call as Effect.Effect<unknown, TmdbError.TmdbError, Authentication.Requirements>,
          bare
        )
        assert.strictEqual(error._tag, "TmdbApiError")
        if (error._tag === "TmdbApiError") assert.strictEqual(error.httpStatus, 200)
      }
      const withCode = { status: 200, body: { success: false, status_code: 17, status_message: "Session denied." } }
      const logout = yield* answer(Authentication.deleteSession({ session_id: "0123456789abcdef" }), withCode)
      assert.strictEqual(logout._tag, "SessionDenied")
    }))

  it.effect("429 takes Retry-After, never below one second", () =>
    Effect.gen(function*() {
      const cases: Array<[Record<string, string>, number]> = [
        [{ "retry-after": "7" }, 7000],
        [{ "retry-after": "0" }, 1000],
        [{}, 1000],
        [{ "retry-after": "soon" }, 1000]
      ]
      for (const [headers, millis] of cases) {
        const error = yield* answer(Authentication.createRequestToken(), {
          status: 429,
          body: "<html>slow down</html>",
          headers
        })
        assert.strictEqual(error._tag, "RateLimited")
        assert.strictEqual(Duration.toMillis((error as TmdbError.RateLimited).retryAfter), millis)
      }
    }))

  it.effect("code 25 in a 200 body is RateLimited and still takes Retry-After", () =>
    Effect.gen(function*() {
      const error = yield* answer(Authentication.createRequestToken(), {
        status: 200,
        body: { success: false, status_code: 25, status_message: "Your request count (#) is over the allowed limit." },
        headers: { "retry-after": "4" }
      })
      assert.strictEqual(error._tag, "RateLimited")
      assert.strictEqual(Duration.toMillis((error as TmdbError.RateLimited).retryAfter), 4000)
    }))

  it.effect("a 5xx without a TMDB body is TmdbUnavailable; other non-TMDB bodies are UnexpectedResponse", () =>
    Effect.gen(function*() {
      const html = "<html><head><title>502 Bad Gateway</title></head></html>"
      const unavailable = yield* answer(Authentication.createRequestToken(), {
        status: 502,
        body: html,
        headers: { "content-type": "text/html" }
      })
      assert.strictEqual(unavailable._tag, "TmdbUnavailable")
      assert.strictEqual((unavailable as TmdbError.TmdbUnavailable).httpStatus, 502)

      const notFound = yield* answer(Authentication.createRequestToken(), { status: 404, body: html })
      assert.strictEqual(notFound._tag, "UnexpectedResponse")
      assert.include((notFound as TmdbError.UnexpectedResponse).excerpt, "502 Bad Gateway")
    }))

  it.effect("success bodies that are not what TMDB documents are UnexpectedResponse", () =>
    Effect.gen(function*() {
      const cases: Array<[Answer, string]> = [
        [{ status: 200, body: "" }, "empty"],
        [{ status: 200, body: "{\"success\": tr" }, "not JSON"],
        [{ status: 200, body: { success: true } }, "session_id (missing)"],
        [{ status: 200, body: { success: true, session_id: 42 } }, "session_id (wrong type)"]
      ]
      for (const [reply, reason] of cases) {
        const error = yield* answer(Authentication.createSession({ request_token: "abc" }), reply)
        assert.strictEqual(error._tag, "UnexpectedResponse")
        assert.include((error as TmdbError.UnexpectedResponse).reason, reason)
        assert.strictEqual((error as TmdbError.UnexpectedResponse).endpoint, "POST /3/authentication/session/new")
      }
    }))

  it.effect("an excerpt that echoes a secret back is withheld whole", () =>
    Effect.gen(function*() {
      const password = "hunter2-secret-password"
      const error = yield* answer(
        Authentication.createSessionWithLogin({ username: "jo", password, request_token: "abc" }),
        { status: 400, body: `<pre>GET /3/x?api_key=${key} body={"password":"${password}"}</pre>` }
      )
      assert.strictEqual(error._tag, "UnexpectedResponse")
      const text = `${error.message} ${JSON.stringify(error)} ${String(error)}`
      assert.notInclude(text, password)
      assert.notInclude(text, key)
      assert.match((error as TmdbError.UnexpectedResponse).excerpt, /^<withheld: /)
    }))
})

describe("server text that quotes a secret is withheld whole", () => {
  const password = "correct horse battery staple"
  const login = Authentication.createSessionWithLogin({ username: "jo", password, request_token: "abc" })

  it.effect("a known code keeps TMDB's documented message; an unknown one shows the note", () =>
    Effect.gen(function*() {
      const known = yield* answer(login, {
        status: 401,
        body: { success: false, status_code: 30, status_message: `Wrong: ${password.toUpperCase()}` }
      })
      assert.strictEqual(known._tag, "InvalidLogin")
      if (known._tag === "InvalidLogin") {
        assert.strictEqual(known.status_message, TmdbError.statusCodes.get(30)!.status_message)
      }
      const unknown = yield* answer(login, {
        status: 400,
        body: { success: false, status_code: 999, status_message: `echo: ${encodeURIComponent(password)}` }
      })
      assert.strictEqual(unknown._tag, "TmdbApiError")
      if (unknown._tag === "TmdbApiError") assert.match(unknown.status_message, /^<withheld: /)
    }))

  it.effect("a run of 8 characters, a secret split across `errors`, or the Bearer token's claims", () =>
    Effect.gen(function*() {
      const split = yield* answer(login, { status: 422, body: { errors: ["correct hor", "se battery staple"] } })
      assert.deepStrictEqual(split._tag === "TmdbApiError" && split.errors, [
        "<withheld: the text quoted a secret of the request>"
      ])
      const run = yield* answer(login, { status: 422, body: { errors: ["…HORSE  BATT…"] } })
      assert.isTrue(run._tag === "TmdbApiError" && run.errors[0]!.startsWith("<withheld"))
      const claims = Buffer.from(JSON.stringify({ aud: key, sub: "someone", scopes: ["api_read"] })).toString(
        "base64url"
      )
      const bearer = `eyJhbGciOiJIUzI1NiJ9.${claims}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`
      const echoed = yield* Authentication.validateKey().pipe(
        Effect.provide(
          replay({ status: 401, body: { status_code: 7, status_message: `aud=${key.slice(4, 20)}` } }).layer
        ),
        Effect.provide(TmdbCredentials.bearer(bearer).pipe(Layer.orDie)),
        Effect.provide(TmdbConfig.layer({ retry: false })),
        Effect.flip
      )
      assert.strictEqual(
        echoed._tag === "InvalidApiKey" && echoed.status_message,
        TmdbError.statusCodes.get(7)!.status_message
      )
      // text that quotes nothing is shown as it is
      const plain = yield* answer(login, { status: 422, body: { errors: ["username is too long"] } })
      assert.deepStrictEqual(plain._tag === "TmdbApiError" && plain.errors, ["username is too long"])
    }))
})

describe("error messages", () => {
  it("say what happened and what to do", () => {
    const input = new TmdbError.InvalidInput({ field: "username", reason: "it is empty" })
    assert.strictEqual(input.message, "Invalid username: it is empty")
    const format = new TmdbError.InvalidCredentialsFormat({ reason: "the value is empty" })
    assert.include(format.message, "Bearer")
    assert.include(format.message, "api_key")
  })
})

describe("repeatableOf", () => {
  const transport = (reason: TmdbError.TransportError["reason"]) =>
    new TmdbError.TransportError({ reason, endpoint: "POST /3/authentication/session/new", detail: "d" })
  const unavailable = (httpStatus: number) =>
    new TmdbError.TmdbUnavailable({ status_code: 11, status_message: "m", httpStatus })

  it("a throttled request, or one refused before anything was sent, may be repeated with any method", () => {
    const rateLimited = new TmdbError.RateLimited({
      status_message: "m",
      httpStatus: 429,
      retryAfter: Duration.seconds(1)
    })
    assert.strictEqual(TmdbError.repeatableOf(rateLimited), "anyMethod")
    assert.strictEqual(TmdbError.repeatableOf(transport("ConnectionRefused")), "anyMethod")
  })

  it("a request that may have reached TMDB is repeated only for GET and DELETE", () => {
    for (const reason of ["Timeout", "ConnectionReset", "NameResolution", "Other"] as const) {
      assert.strictEqual(TmdbError.repeatableOf(transport(reason)), "getAndDelete", reason)
    }
    for (const httpStatus of [502, 503, 504]) {
      assert.strictEqual(TmdbError.repeatableOf(unavailable(httpStatus)), "getAndDelete", `HTTP ${httpStatus}`)
    }
  })

  it("anything else is never repeated: a 500, TMDB's answers, local checks", () => {
    assert.strictEqual(TmdbError.repeatableOf(unavailable(500)), "never")
    const body = { status_message: "m", httpStatus: 401 }
    const others: Array<TmdbError.TmdbError> = [
      new TmdbError.InvalidApiKey({ status_code: 7, ...body }),
      new TmdbError.AuthenticationFailed({ status_code: 3, ...body }),
      new TmdbError.TmdbApiError({ status_message: "m", httpStatus: 400, errors: [] }),
      new TmdbError.UnexpectedResponse({
        endpoint: "GET /3/authentication",
        httpStatus: 200,
        reason: "r",
        excerpt: ""
      }),
      new TmdbError.InvalidConfig({ setting: "timeout", reason: "r" }),
      new TmdbError.RateLimiterUnavailable({ reason: "WaitTooLong", detail: "d" }),
      new TmdbError.InvalidLogin({ status_code: 30, ...body }),
      new TmdbError.AccountDisabled({ status_code: 31, ...body }),
      new TmdbError.EmailNotVerified({ status_code: 32, ...body }),
      new TmdbError.InvalidRequestToken({ status_code: 33, ...body }),
      new TmdbError.SessionDenied({ status_code: 17, ...body }),
      new TmdbError.ResourceNotFound({ status_code: 34, status_message: "m", httpStatus: 404 }),
      new TmdbError.InvalidInput({ field: "username", reason: "it is empty" }),
      new TmdbError.InvalidCredentialsFormat({ reason: "r" }),
      new TmdbError.BearerTokenRequired({ endpoint: "POST /4/auth/request_token" })
    ]
    for (const error of others) assert.strictEqual(TmdbError.repeatableOf(error), "never", error._tag)
    // every tag of the library is covered here or above
    const covered = new Set([...others.map((e) => e._tag), "RateLimited", "TransportError", "TmdbUnavailable"])
    assert.strictEqual(covered.size, TmdbError.TmdbError.members.length)
  })

  it.effect("follows the error an endpoint really failed with", () =>
    Effect.gen(function*() {
      const rateLimited = yield* answer(Authentication.validateKey(), body(25))
      assert.strictEqual(TmdbError.repeatableOf(rateLimited), "anyMethod")
      const invalidKey = yield* answer(Authentication.validateKey(), body(7))
      assert.strictEqual(TmdbError.repeatableOf(invalidKey), "never")
    }))
})

describe("isSessionGone", () => {
  const logout = Authentication.deleteSession({ session_id: "0123456789abcdef" })
  const gone = [3, 6, 17, 34]

  it.effect("true for exactly the codes TMDB documents for a gone session, each with its own tag", () =>
    Effect.gen(function*() {
      for (const code of documented) {
        if (code.http_status < 300) continue // success codes are not failures by status
        const error = yield* answer(logout, body(code.status_code))
        const expected = gone.includes(code.status_code)
        assert.strictEqual(TmdbError.isSessionGone(error), expected, `code ${code.status_code} (${error._tag})`)
      }
      assert.deepStrictEqual(
        [...TmdbError.statusCodes.values()].filter((c) => c.sessionGone).map((c) => c.status_code),
        gone
      )
    }))

  it("false when the code comes with another tag than its own, or without a code", () => {
    // 17 is SessionDenied's: as TmdbApiError (an endpoint that does not list SessionDenied) it says nothing
    assert.isFalse(TmdbError.isSessionGone(
      new TmdbError.TmdbApiError({
        status_code: 17,
        status_message: "Session denied.",
        httpStatus: 401,
        errors: []
      })
    ))
    assert.isFalse(
      TmdbError.isSessionGone(new TmdbError.SessionDenied({ status_code: 6, status_message: "m", httpStatus: 401 }))
    )
    // 37 SessionNotFound is ResourceNotFound too, but TMDB does not say with it that a session is gone
    assert.isFalse(
      TmdbError.isSessionGone(new TmdbError.ResourceNotFound({ status_code: 37, status_message: "m", httpStatus: 404 }))
    )
    assert.isFalse(
      TmdbError.isSessionGone(new TmdbError.TmdbApiError({ status_message: "m", httpStatus: 401, errors: [] }))
    )
    assert.isTrue(
      TmdbError.isSessionGone(new TmdbError.SessionDenied({ status_code: 17, status_message: "m", httpStatus: 401 }))
    )
  })

  it("false for anything that is not an error of the library", () => {
    for (
      const other of [{ _tag: "SessionDenied", status_code: 17 }, new Error("Session denied."), null, undefined, 17]
    ) {
      assert.isFalse(TmdbError.isSessionGone(other))
    }
    assert.isFalse(
      TmdbError.isSessionGone(new TmdbError.TransportError({ reason: "Timeout", endpoint: "e", detail: "d" }))
    )
  })
})

describe("commonErrors and endpointErrors", () => {
  const tagOf = (errorClass: { readonly identifier: string }) => errorClass.identifier.replace("tmdb-effect/", "")
  const common = TmdbError.commonErrors.map(tagOf)
  const specific = TmdbError.endpointErrors.map(tagOf)
  const declared = {
    ...Object.fromEntries(Object.entries(Authentication.endpoints).map(([name, e]) => [`Authentication.${name}`, e])),
    ...Object.fromEntries(Object.entries(AuthV4.endpoints).map(([name, e]) => [`AuthV4.${name}`, e])),
    ...Object.fromEntries(Object.entries(Account.endpoints).map(([name, e]) => [`Account.${name}`, e]))
  }

  it("list the library's errors once each: common, endpoint-specific, and the three raised locally", () => {
    assert.deepStrictEqual([...common].sort(), [
      "AuthenticationFailed",
      "InvalidApiKey",
      "InvalidConfig",
      "RateLimited",
      "RateLimiterUnavailable",
      "TmdbApiError",
      "TmdbUnavailable",
      "TransportError",
      "UnexpectedResponse"
    ])
    assert.deepStrictEqual([...specific].sort(), [
      "AccountDisabled",
      "EmailNotVerified",
      "InvalidLogin",
      "InvalidRequestToken",
      "ResourceNotFound",
      "SessionDenied"
    ])
    const all = TmdbError.TmdbError.members.map(tagOf)
    assert.strictEqual(new Set([...common, ...specific]).size, common.length + specific.length, "disjoint")
    assert.deepStrictEqual(
      all.filter((tag) => !common.includes(tag) && !specific.includes(tag)).sort(),
      ["BearerTokenRequired", "InvalidCredentialsFormat", "InvalidInput"]
    )
  })

  it("every tag an endpoint declares is in endpointErrors, and each of those is some endpoint's", () => {
    assert.strictEqual(Object.keys(declared).length, 11)
    const used = new Set<string>()
    for (const [name, endpoint] of Object.entries(declared)) {
      for (const errorClass of endpoint.errors) {
        const tag = tagOf(errorClass)
        assert.include(specific, tag, name)
        assert.notInclude(common, tag, name)
        used.add(tag)
      }
    }
    assert.deepStrictEqual([...used].sort(), [...specific].sort())
  })

  it("each endpoint declares the tags 1.x's does", () => {
    const expected: Record<string, ReadonlyArray<string>> = {
      "Authentication.validateKey": [],
      "Authentication.createGuestSession": [],
      "Authentication.createRequestToken": [],
      "Authentication.createSessionWithLogin": [
        "AccountDisabled",
        "EmailNotVerified",
        "InvalidLogin",
        "InvalidRequestToken"
      ],
      "Authentication.createSession": ["InvalidRequestToken", "SessionDenied"],
      "Authentication.createSessionFromV4Token": [],
      "Authentication.deleteSession": ["ResourceNotFound", "SessionDenied"],
      "AuthV4.createRequestToken": [],
      "AuthV4.createAccessToken": ["InvalidRequestToken", "SessionDenied"],
      "AuthV4.deleteAccessToken": ["ResourceNotFound", "SessionDenied"],
      "Account.details": []
    }
    for (const [name, endpoint] of Object.entries(declared)) {
      assert.deepStrictEqual(endpoint.errors.map(tagOf).sort(), expected[name], name)
    }
  })

  it.effect("every endpoint fails with each common error's tag when TMDB answers with it", () =>
    Effect.gen(function*() {
      // one code per TMDB-answered common tag (the others are local or transport failures)
      const codes: Record<string, number> = {
        InvalidApiKey: 7,
        AuthenticationFailed: 3,
        RateLimited: 25,
        TmdbUnavailable: 11,
        TmdbApiError: 2
      }
      const calls: Array<Effect.Effect<unknown, { readonly _tag: string }, Authentication.Requirements>> = [
        Authentication.validateKey(),
        Authentication.createSession({ request_token: "abc" }),
        Authentication.deleteSession({ session_id: "0123456789abcdef" }),
        Account.details({ session_id: "0123456789abcdef" })
      ]
      for (const call of calls) {
        for (const [tag, code] of Object.entries(codes)) {
          assert.include(common, tag)
          assert.strictEqual((yield* answer(call, body(code)))._tag, tag, `code ${code}`)
        }
      }
    }))
})
