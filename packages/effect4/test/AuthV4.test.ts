/**
 * v4 user access tokens against the simulator: each endpoint and failure, the 15-minute
 * request-token lifetime, api_key credentials refused locally, and the bridge to v3 sessions
 * end to end over loopback HTTP.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import { Duration, Effect, Layer, Redacted, Tracer } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import { TestClock } from "effect/testing"
import { Account, Authentication, AuthV4, TmdbAuth, TmdbError } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"

const env = Layer.mergeAll(TmdbSimulator.layer(), TmdbSimulator.credentials)
const apiKeyEnv = Layer.mergeAll(TmdbSimulator.layer(), TmdbSimulator.apiKeyCredentials)
const { username } = TmdbSimulator.defaultAccount

const simulator = TmdbSimulator.TmdbSimulator
const requests = Effect.flatMap(simulator, (s) => s.requests)

const payloadOf = (jwt: string): Record<string, unknown> => {
  const segments = jwt.split(".")
  assert.strictEqual(segments.length, 3)
  return JSON.parse(Buffer.from(segments[1]!, "base64url").toString("utf8"))
}

/** A v4 request token the default user has approved. */
const approvedToken = Effect.gen(function*() {
  const token = yield* AuthV4.createRequestToken()
  yield* (yield* simulator).approve(token.request_token)
  return token.request_token
})

describe("createRequestToken", () => {
  it.effect("returns a JWT for 15 minutes with scope pending_request_token, over POST with Bearer", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2026, 0, 1, 12, 0, 0))
      const token = yield* AuthV4.createRequestToken()
      assert.isTrue(token.success)
      assert.strictEqual(token.status_code, 1)
      const payload = payloadOf(token.request_token)
      assert.deepStrictEqual(payload.scopes, ["pending_request_token"])
      assert.strictEqual(payload.nbf, Date.UTC(2026, 0, 1, 12, 0, 0) / 1000)
      assert.strictEqual(Number(payload.exp) - Number(payload.nbf), 900)
      assert.strictEqual(payload.aud, TmdbSimulator.apiKey)
      assert.isNull(payload.redirect_to)
      const [request] = yield* requests
      assert.strictEqual(request?.method, "POST")
      assert.strictEqual(request?.path, "/4/auth/request_token")
      assert.strictEqual(request?.headers.authorization, `Bearer ${TmdbSimulator.bearerToken}`)
      assert.isUndefined(request?.body)
    }).pipe(Effect.provide(env)))

  it.effect("sends redirect_to in the JSON body; TMDB puts it in the token", () =>
    Effect.gen(function*() {
      const redirect_to = "http://127.0.0.1:8788/callback?state=a b"
      const token = yield* AuthV4.createRequestToken({ redirect_to })
      assert.strictEqual(payloadOf(token.request_token).redirect_to, redirect_to)
      const [request] = yield* requests
      assert.deepStrictEqual(request?.body, { redirect_to })
      assert.include(request?.headers["content-type"], "application/json")
    }).pipe(Effect.provide(env)))

  it.effect("an empty redirect_to is InvalidInput before any request", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(AuthV4.createRequestToken({ redirect_to: " " }))
      assert.strictEqual(error._tag, "InvalidInput")
      if (error._tag === "InvalidInput") assert.strictEqual(error.field, "redirect_to")
      assert.lengthOf(yield* requests, 0)
    }).pipe(Effect.provide(env)))
})

describe("requestTokenLifetime", () => {
  it("is TMDB's 15 minutes", () => {
    assert.strictEqual(Duration.toMinutes(AuthV4.requestTokenLifetime), 15)
  })

  it.effect("the simulator's v4 request token expires then: its exp, and its use a second before and at it", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2026, 0, 1, 12, 0, 0))
      const lifetime = Duration.toMillis(AuthV4.requestTokenLifetime)
      const early = yield* approvedToken
      const late = yield* approvedToken
      const payload = payloadOf(late)
      assert.strictEqual(Number(payload.exp) - Number(payload.nbf), Duration.toSeconds(AuthV4.requestTokenLifetime))
      yield* TestClock.adjust(Duration.millis(lifetime - 1000))
      assert.isTrue((yield* AuthV4.createAccessToken({ request_token: early })).success)
      yield* TestClock.adjust("1 second")
      const error = yield* Effect.flip(AuthV4.createAccessToken({ request_token: late }))
      assert.strictEqual(error._tag, "InvalidRequestToken")
    }).pipe(Effect.provide(env)))
})

describe("endpoints", () => {
  // TMDB's v4 reference (developer.themoviedb.org/v4/reference): the fixtures' OpenAPI file is v3 only.
  it("declares TMDB's three v4 auth endpoints: method, path, and the JSON body fields", () => {
    const declared = Object.entries(AuthV4.endpoints).map(([name, e]) => ({
      name,
      method: e.method,
      path: e.path,
      fields: Object.keys(e.fields),
      fieldsIn: e.fieldsIn,
      bearerOnly: e.bearerOnly
    }))
    assert.deepStrictEqual(declared, [
      {
        name: "createRequestToken",
        method: "POST",
        path: "/4/auth/request_token",
        fields: ["redirect_to"],
        fieldsIn: "body",
        bearerOnly: true
      },
      {
        name: "createAccessToken",
        method: "POST",
        path: "/4/auth/access_token",
        fields: ["request_token"],
        fieldsIn: "body",
        bearerOnly: true
      },
      {
        name: "deleteAccessToken",
        method: "DELETE",
        path: "/4/auth/access_token",
        fields: ["access_token"],
        fieldsIn: "body",
        bearerOnly: true
      }
    ])
  })

  it.effect("each function sends its endpoint's method and path", () =>
    Effect.gen(function*() {
      const request_token = yield* approvedToken
      const { access_token } = yield* AuthV4.createAccessToken({ request_token })
      yield* AuthV4.deleteAccessToken({ access_token })
      const sent = (yield* requests).map((r) => `${r.method} ${r.path}`)
      const { createAccessToken, createRequestToken, deleteAccessToken } = AuthV4.endpoints
      assert.deepStrictEqual(sent, [
        `${createRequestToken.method} ${createRequestToken.path}`,
        `${createAccessToken.method} ${createAccessToken.path}`,
        `${deleteAccessToken.method} ${deleteAccessToken.path}`
      ])
    }).pipe(Effect.provide(env)))
})

describe("approvalUrl", () => {
  it("points at TMDB's /auth/access page with the token", () => {
    assert.strictEqual(
      AuthV4.approvalUrl("eyJ0.e30-_.c2ln"),
      "https://www.themoviedb.org/auth/access?request_token=eyJ0.e30-_.c2ln"
    )
    assert.strictEqual(
      AuthV4.approvalUrl("tok", { webUrl: "http://127.0.0.1:9000/" }),
      "http://127.0.0.1:9000/auth/access?request_token=tok"
    )
  })

  it("throws InvalidInput for what is not a request token", () => {
    for (const bad of [undefined, "", "..", ".", "ab.c+d", "a&redirect_to=x", "\ud800", "tok en"]) {
      assert.throws(() => AuthV4.approvalUrl(bad as string), TmdbError.InvalidInput)
    }
  })
})

describe("createAccessToken", () => {
  it.effect("exchanges an approved token for a redacted user access token and the v4 account id", () =>
    Effect.gen(function*() {
      const request_token = yield* approvedToken
      const access = yield* AuthV4.createAccessToken({ request_token })
      assert.isTrue(access.success)
      assert.isTrue(Redacted.isRedacted(access.access_token))
      const value = Redacted.value(access.access_token)
      assert.deepStrictEqual(payloadOf(value).scopes, ["api_read", "api_write"])
      assert.match(access.account_id, /^[0-9a-f]{24}$/)
      assert.strictEqual(payloadOf(value).sub, access.account_id)
      assert.notInclude(String(access), value)
      assert.notInclude(JSON.stringify(access), value)
      const all = yield* requests
      const request = all[all.length - 1]!
      assert.strictEqual(request.method, "POST")
      assert.strictEqual(request.path, "/4/auth/access_token")
      assert.deepStrictEqual(request.body, { request_token })
      // single use
      const again = yield* Effect.flip(AuthV4.createAccessToken({ request_token }))
      assert.strictEqual(again._tag, "InvalidRequestToken")
      if (again._tag === "InvalidRequestToken") assert.strictEqual(again.status_code, 33)
    }).pipe(Effect.provide(env)))

  it.effect("an unapproved token is SessionDenied (422, code 41); so is a denied one", () =>
    Effect.gen(function*() {
      const pending = yield* AuthV4.createRequestToken()
      const error = yield* Effect.flip(AuthV4.createAccessToken({ request_token: pending.request_token }))
      assert.strictEqual(error._tag, "SessionDenied")
      if (error._tag === "SessionDenied") {
        assert.strictEqual(error.status_code, 41)
        assert.strictEqual(error.httpStatus, 422)
      }
      const denied = yield* AuthV4.createRequestToken()
      yield* (yield* simulator).deny(denied.request_token)
      const refused = yield* Effect.flip(AuthV4.createAccessToken({ request_token: denied.request_token }))
      assert.strictEqual(refused._tag, "SessionDenied")
      // an unapproved token is not spent: approving it later still works
      yield* (yield* simulator).approve(pending.request_token)
      assert.isTrue((yield* AuthV4.createAccessToken({ request_token: pending.request_token })).success)
    }).pipe(Effect.provide(env)))

  it.effect("an unknown token, or a v3 one, is InvalidRequestToken; a v4 token does not open a v3 session", () =>
    Effect.gen(function*() {
      const unknown = yield* Effect.flip(AuthV4.createAccessToken({ request_token: "eyJ.unknown.token" }))
      assert.strictEqual(unknown._tag, "InvalidRequestToken")
      const v3 = yield* Authentication.createRequestToken()
      yield* (yield* simulator).approve(v3.request_token)
      const mixed = yield* Effect.flip(AuthV4.createAccessToken({ request_token: v3.request_token }))
      assert.strictEqual(mixed._tag, "InvalidRequestToken")
      const v4 = yield* approvedToken
      const wrongWay = yield* Effect.flip(Authentication.createSession({ request_token: v4 }))
      assert.strictEqual(wrongWay._tag, "InvalidRequestToken")
    }).pipe(Effect.provide(env)))

  it.effect("an approved token still works at 14 minutes", () =>
    Effect.gen(function*() {
      const request_token = yield* approvedToken
      yield* TestClock.adjust("14 minutes")
      assert.isTrue((yield* AuthV4.createAccessToken({ request_token })).success)
    }).pipe(Effect.provide(env)))

  it.effect("an approved token has expired at 16 minutes: InvalidRequestToken", () =>
    Effect.gen(function*() {
      const request_token = yield* approvedToken
      yield* TestClock.adjust("16 minutes")
      const error = yield* Effect.flip(AuthV4.createAccessToken({ request_token }))
      assert.strictEqual(error._tag, "InvalidRequestToken")
      if (error._tag === "InvalidRequestToken") assert.strictEqual(error.status_code, 33)
    }).pipe(Effect.provide(env)))

  it.effect("a request token with whitespace is InvalidInput before any request", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(AuthV4.createAccessToken({ request_token: "a b" }))
      assert.strictEqual(error._tag, "InvalidInput")
      assert.lengthOf(yield* requests, 0)
    }).pipe(Effect.provide(env)))

  it.effect("a success body without account_id is UnexpectedResponse that does not show the token", () =>
    Effect.gen(function*() {
      const secret = "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZXMiOlsiYXBpX3JlYWQiXX0.bmV3LXVzZXItdG9rZW4"
      yield* (yield* simulator).inject(
        TmdbSimulator.Fault.Status({ status: 200, body: JSON.stringify({ success: true, access_token: secret }) }),
        { path: "/4/auth/access_token" }
      )
      const error = yield* Effect.flip(AuthV4.createAccessToken({ request_token: "tok" }))
      assert.strictEqual(error._tag, "UnexpectedResponse")
      if (error._tag === "UnexpectedResponse") assert.include(error.reason, "account_id")
      assert.notInclude(JSON.stringify(error), secret)
      assert.notInclude(error.message, secret)
    }).pipe(Effect.provide(env)))
})

describe("deleteAccessToken", () => {
  it.effect("logs out: the token stops working as a credential; deleting again is ResourceNotFound", () =>
    Effect.gen(function*() {
      const access = yield* AuthV4.createAccessToken({ request_token: yield* approvedToken })
      assert.isTrue((yield* Authentication.validateKey().pipe(AuthV4.withAccessToken(access.access_token))).success)
      const deleted = yield* AuthV4.deleteAccessToken({ access_token: access.access_token })
      assert.isTrue(deleted.success)
      assert.strictEqual(deleted.status_code, 13)
      const all = yield* requests
      const request = all[all.length - 1]!
      assert.strictEqual(request.method, "DELETE")
      assert.strictEqual(request.path, "/4/auth/access_token")
      assert.deepStrictEqual(request.body, { access_token: Redacted.value(access.access_token) })
      const refused = yield* Effect.flip(
        Authentication.validateKey().pipe(AuthV4.withAccessToken(access.access_token))
      )
      assert.strictEqual(refused._tag, "InvalidApiKey")
      const again = yield* Effect.flip(AuthV4.deleteAccessToken({ access_token: access.access_token }))
      assert.strictEqual(again._tag, "ResourceNotFound")
    }).pipe(Effect.provide(env)))
})

describe("with api_key credentials", () => {
  it.effect("every v4 call is BearerTokenRequired, and nothing is sent", () =>
    Effect.gen(function*() {
      const errors = [
        yield* Effect.flip(AuthV4.createRequestToken()),
        yield* Effect.flip(AuthV4.createAccessToken({ request_token: "tok" })),
        yield* Effect.flip(AuthV4.deleteAccessToken({ access_token: "tok" })),
        yield* Effect.flip(AuthV4.loginToSession({ request_token: "tok" }))
      ]
      assert.deepStrictEqual(errors.map((e) => e._tag), [
        "BearerTokenRequired",
        "BearerTokenRequired",
        "BearerTokenRequired",
        "BearerTokenRequired"
      ])
      const first = errors[0]!
      if (first._tag === "BearerTokenRequired") {
        assert.strictEqual(first.endpoint, "POST /4/auth/request_token")
        assert.include(first.message, "Read Access Token")
        assert.notInclude(first.message, TmdbSimulator.apiKey)
      }
      assert.lengthOf(yield* requests, 0)
    }).pipe(Effect.provide(apiKeyEnv)))

  it.effect("at the wire, TMDB refuses an api_key on /4 with 401, code 7", () =>
    Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      const response = yield* client.execute(
        HttpClientRequest.post("https://api.themoviedb.org/4/auth/request_token").pipe(
          HttpClientRequest.setUrlParam("api_key", TmdbSimulator.apiKey)
        )
      )
      assert.strictEqual(response.status, 401)
      const body = (yield* response.json) as { readonly status_code?: unknown }
      assert.strictEqual(body.status_code, 7)
    }).pipe(Effect.provide(apiKeyEnv)))
})

describe("withAccessToken", () => {
  it.effect("sends the user access token as the Bearer credential for the wrapped effect only", () =>
    Effect.gen(function*() {
      const access = yield* AuthV4.createAccessToken({ request_token: yield* approvedToken })
      yield* Authentication.validateKey().pipe(AuthV4.withAccessToken(access.access_token))
      yield* Authentication.validateKey()
      const all = yield* requests
      const [asUser, asApp] = all.slice(-2)
      assert.strictEqual(asUser?.headers.authorization, `Bearer ${Redacted.value(access.access_token)}`)
      assert.strictEqual(asApp?.headers.authorization, `Bearer ${TmdbSimulator.bearerToken}`)
    }).pipe(Effect.provide(env)))

  it.effect("works where only api_key credentials are configured", () =>
    Effect.gen(function*() {
      const access_token = yield* (yield* simulator).grantAccessToken(username)
      const token = yield* AuthV4.createRequestToken().pipe(AuthV4.withAccessToken(access_token))
      assert.lengthOf(token.request_token.split("."), 3)
    }).pipe(Effect.provide(apiKeyEnv)))

  it.effect("an unusable token is InvalidInput before any request", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Authentication.validateKey().pipe(AuthV4.withAccessToken("two words")))
      assert.strictEqual(error._tag, "InvalidInput")
      if (error._tag === "InvalidInput") assert.notInclude(error.message, "two words")
      assert.lengthOf(yield* requests, 0)
    }).pipe(Effect.provide(env)))
})

describe("spans", () => {
  it.effect("each call runs in tmdb.AuthV4.<function>, with no secret in any attribute", () =>
    Effect.gen(function*() {
      const spans: Array<Tracer.Span> = []
      const native = yield* Effect.tracer
      const tracer = Tracer.make({
        span: (...args) => {
          const span = native.span(...args)
          spans.push(span)
          return span
        },
        ...(native.context === undefined ? {} : { context: native.context })
      })
      const login = yield* Effect.gen(function*() {
        return yield* AuthV4.loginToSession({ request_token: yield* approvedToken })
      }).pipe(Effect.withTracer(tracer))
      const names = spans.map((span) => span.name)
      assert.includeMembers(names, [
        "tmdb.AuthV4.createRequestToken",
        "tmdb.AuthV4.loginToSession",
        "tmdb.AuthV4.createAccessToken",
        "tmdb.Authentication.createSessionFromV4Token"
      ])
      const attributes = JSON.stringify(spans.map((span) => Object.fromEntries(span.attributes)))
      assert.include(attributes, "POST /4/auth/access_token")
      assert.notInclude(attributes, Redacted.value(login.access_token))
      assert.notInclude(attributes, Redacted.value(login.session_id))
      assert.notInclude(attributes, TmdbSimulator.bearerToken)
    }).pipe(Effect.provide(env)))
})

describe("loginToSession", () => {
  it.effect("returns the access token, the v4 account id and a v3 session for the same user", () =>
    Effect.gen(function*() {
      const login = yield* AuthV4.loginToSession({ request_token: yield* approvedToken })
      assert.match(login.account_id, /^[0-9a-f]{24}$/)
      assert.isTrue(Redacted.isRedacted(login.session_id))
      const sessions = yield* (yield* simulator).sessions
      assert.deepStrictEqual(sessions, [{ session_id: Redacted.value(login.session_id), username }])
      const all = yield* requests
      assert.deepStrictEqual(all.slice(-2).map((r) => `${r.method} ${r.path}`), [
        "POST /4/auth/access_token",
        "POST /3/authentication/session/convert/4"
      ])
      assert.deepStrictEqual(all[all.length - 1]?.body, { access_token: Redacted.value(login.access_token) })
    }).pipe(Effect.provide(env)))

  it.effect("when the conversion fails, the new access token is deleted and the error returned", () =>
    Effect.gen(function*() {
      const request_token = yield* approvedToken
      yield* (yield* simulator).inject(TmdbSimulator.Fault.Html({ status: 502 }), {
        path: "/3/authentication/session/convert/4"
      })
      const error = yield* Effect.flip(AuthV4.loginToSession({ request_token }))
      assert.strictEqual(error._tag, "TmdbUnavailable")
      const all = yield* requests
      assert.deepStrictEqual(all.slice(-2).map((r) => `${r.method} ${r.path}`), [
        "POST /3/authentication/session/convert/4",
        "DELETE /4/auth/access_token"
      ])
      const access_token = (all[all.length - 1]?.body as { readonly access_token: string }).access_token
      const refused = yield* Effect.flip(Authentication.createSessionFromV4Token({ access_token }))
      assert.strictEqual(refused._tag, "AuthenticationFailed")
    }).pipe(Effect.provide(env)))

  it.effect("is in the TmdbAuth service's v4 group", () =>
    Effect.gen(function*() {
      const tmdb = yield* TmdbAuth.TmdbAuth
      const token = yield* tmdb.v4.createRequestToken()
      yield* (yield* simulator).approve(token.request_token)
      const login = yield* tmdb.v4.loginToSession({ request_token: token.request_token })
      const account = yield* tmdb.account.details({ session_id: login.session_id })
      assert.strictEqual(account.username, username)
      assert.isTrue((yield* tmdb.v4.deleteAccessToken({ access_token: login.access_token })).success)
    }).pipe(Effect.provide(Layer.provideMerge(TmdbAuth.layer, env))))
})

// Last: layer() swaps the methods of the shared `it` for its own.
layer(Layer.mergeAll(TmdbSimulator.layerServer(), TmdbSimulator.credentials, FetchHttpClient.layer), {
  excludeTestServices: true
})("over loopback HTTP", (it) => {
  it.effect("v4 token → approval → access token → v3 session → account → logout", () =>
    Effect.gen(function*() {
      const sim = yield* TmdbSimulator.TmdbSimulator
      const token = yield* AuthV4.createRequestToken({ redirect_to: "http://127.0.0.1:1/done" })
      yield* sim.approve(token.request_token)
      const login = yield* AuthV4.loginToSession({ request_token: token.request_token })
      const account = yield* Account.details({ session_id: login.session_id })
      assert.strictEqual(account.username, username)
      assert.strictEqual(account.id.toString(16).padStart(24, "0"), login.account_id)
      // the same call with the user's access token as the credential
      const asUser = yield* Account.details({ session_id: login.session_id }).pipe(
        AuthV4.withAccessToken(login.access_token)
      )
      assert.strictEqual(asUser.id, account.id)
      // a read access token is not a user access token: convert/4 refuses it (401, code 35)
      const readToken = yield* Effect.flip(
        Authentication.createSessionFromV4Token({ access_token: TmdbSimulator.bearerToken })
      )
      assert.strictEqual(readToken._tag === "AuthenticationFailed" && readToken.status_code, 35)
      // logout: the access token and the session converted from it stop working
      const deleted = yield* AuthV4.deleteAccessToken({ access_token: login.access_token })
      assert.isTrue(deleted.success)
      const gone = yield* Effect.flip(Account.details({ session_id: login.session_id }))
      assert.strictEqual(gone._tag, "AuthenticationFailed")
      const revoked = yield* Effect.flip(
        Account.details({ session_id: login.session_id }).pipe(AuthV4.withAccessToken(login.access_token))
      )
      assert.strictEqual(revoked._tag, "InvalidApiKey")
    }))

  it.effect("an unapproved token is SessionDenied over HTTP too", () =>
    Effect.gen(function*() {
      const token = yield* AuthV4.createRequestToken()
      const error = yield* Effect.flip(AuthV4.loginToSession({ request_token: token.request_token }))
      assert.strictEqual(error._tag, "SessionDenied")
    }))
})
