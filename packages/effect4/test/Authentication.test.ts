/**
 * Every v3 endpoint against the in-memory simulator: success and each documented failure.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { Account, Authentication, TmdbCredentials, TmdbError } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"

const env = Layer.mergeAll(TmdbSimulator.layer(), TmdbSimulator.credentials)
const { username, password } = TmdbSimulator.defaultAccount

const requests = Effect.flatMap(TmdbSimulator.TmdbSimulator, (simulator) => simulator.requests)

describe("validateKey", () => {
  it.effect("succeeds with the Bearer token, sent as Authorization", () =>
    Effect.gen(function*() {
      const result = yield* Authentication.validateKey()
      assert.isTrue(result.success)
      assert.isUndefined(result.status_code) // as TMDB answers (recorded): `{ "success": true }` alone
      const [request] = yield* requests
      assert.strictEqual(request?.headers.authorization, `Bearer ${TmdbSimulator.bearerToken}`)
      assert.isUndefined(request?.query.api_key)
    }).pipe(Effect.provide(env)))

  it.effect("succeeds with the api_key, sent as a query parameter", () =>
    Effect.gen(function*() {
      const result = yield* Authentication.validateKey()
      assert.isTrue(result.success)
      const [request] = yield* requests
      assert.strictEqual(request?.query.api_key, TmdbSimulator.apiKey)
      assert.isUndefined(request?.headers.authorization)
    }).pipe(Effect.provide(Layer.mergeAll(TmdbSimulator.layer(), TmdbSimulator.apiKeyCredentials))))

  it.effect("a wrong key is InvalidApiKey (401, code 7)", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Authentication.validateKey())
      assert.strictEqual(error._tag, "InvalidApiKey")
      if (error._tag === "InvalidApiKey") {
        assert.strictEqual(error.status_code, 7)
        assert.strictEqual(error.httpStatus, 401)
      }
    }).pipe(
      Effect.provide(
        Layer.mergeAll(
          TmdbSimulator.layer(),
          TmdbCredentials.apiKey("ffffffffffffffffffffffffffffffff").pipe(Layer.orDie)
        )
      )
    ))
})

describe("createGuestSession", () => {
  it.effect("returns a redacted id that expires when TMDB says", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2026, 0, 1, 12, 0, 0))
      const guest = yield* Authentication.createGuestSession()
      assert.isTrue(Redacted.isRedacted(guest.guest_session_id))
      assert.match(Redacted.value(guest.guest_session_id), /^[0-9a-f]{32}$/)
      assert.strictEqual(DateTime.formatIso(guest.expires_at), "2026-01-02T12:00:00.000Z")
      assert.notInclude(String(guest), Redacted.value(guest.guest_session_id))
    }).pipe(Effect.provide(env)))
})

describe("createRequestToken", () => {
  it.effect("returns a token valid for 60 minutes", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2026, 0, 1, 12, 0, 0))
      const token = yield* Authentication.createRequestToken()
      assert.match(token.request_token, /^[0-9a-f]{40}$/)
      assert.strictEqual(DateTime.formatIso(token.expires_at), "2026-01-01T13:00:00.000Z")
    }).pipe(Effect.provide(env)))
})

describe("createSessionWithLogin", () => {
  const login = (input: { username: string; password: string }) =>
    Effect.flatMap(
      Authentication.createRequestToken(),
      (token) => Authentication.createSessionWithLogin({ ...input, request_token: token.request_token })
    )

  it.effect("approves the token; the password travels in the JSON body only", () =>
    Effect.gen(function*() {
      const approved = yield* login({ username, password })
      assert.isTrue(approved.success)
      const all = yield* requests
      const request = all[1]!
      assert.strictEqual(request.method, "POST")
      assert.strictEqual(request.path, "/3/authentication/token/validate_with_login")
      assert.deepStrictEqual(request.body, { username, password, request_token: approved.request_token })
      assert.deepStrictEqual(request.query, {})
      assert.include(request.headers["content-type"], "application/json")
      const session = yield* Authentication.createSession({ request_token: approved.request_token })
      assert.isTrue(session.success)
    }).pipe(Effect.provide(env)))

  it.effect("a wrong password is InvalidLogin (code 30)", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(login({ username, password: "wrong" }))
      assert.strictEqual(error._tag, "InvalidLogin")
      if (error._tag === "InvalidLogin") assert.strictEqual(error.status_code, 30)
    }).pipe(Effect.provide(env)))

  it.effect("an unknown user is InvalidLogin", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(login({ username: "nobody", password }))
      assert.strictEqual(error._tag, "InvalidLogin")
    }).pipe(Effect.provide(env)))

  it.effect("a disabled account is AccountDisabled; an unverified one EmailNotVerified", () =>
    Effect.gen(function*() {
      const simulator = yield* TmdbSimulator.TmdbSimulator
      yield* simulator.addAccount({ username: "gone", password: "pw", status: "disabled" })
      yield* simulator.addAccount({ username: "new", password: "pw", status: "unverified" })
      assert.strictEqual((yield* Effect.flip(login({ username: "gone", password: "pw" })))._tag, "AccountDisabled")
      assert.strictEqual((yield* Effect.flip(login({ username: "new", password: "pw" })))._tag, "EmailNotVerified")
    }).pipe(Effect.provide(env)))

  it.effect("an unknown token is InvalidRequestToken", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Authentication.createSessionWithLogin({ username, password, request_token: "0".repeat(40) })
      )
      assert.strictEqual(error._tag, "InvalidRequestToken")
    }).pipe(Effect.provide(env)))

  it.effect("bad input fails with InvalidInput before any request", () =>
    Effect.gen(function*() {
      const cases: Array<[unknown, string]> = [
        [{ username: "", password, request_token: "abc" }, "Invalid username: it is empty"],
        [{ username, password: "  ", request_token: "abc" }, "Invalid password: it is only whitespace"],
        [{ username, password, request_token: "a b" }, "Invalid request_token: it contains whitespace"],
        [{ username, password: null, request_token: "abc" }, "Invalid password: expected a string, got null"],
        [{ username: 42, password, request_token: "abc" }, "Invalid username: expected a string, got number"],
        [undefined, "Invalid username: expected a string, got undefined"]
      ]
      for (const [input, message] of cases) {
        const error = yield* Effect.flip(
          Authentication.createSessionWithLogin(input as Parameters<typeof Authentication.createSessionWithLogin>[0])
        )
        assert.strictEqual(error._tag, "InvalidInput")
        assert.include(error.message, message)
      }
      assert.lengthOf(yield* requests, 0)
    }).pipe(Effect.provide(env)))
})

describe("createSession", () => {
  it.effect("an unapproved token is SessionDenied; after approval it works once", () =>
    Effect.gen(function*() {
      const simulator = yield* TmdbSimulator.TmdbSimulator
      const token = yield* Authentication.createRequestToken()
      const denied = yield* Effect.flip(Authentication.createSession({ request_token: token.request_token }))
      assert.strictEqual(denied._tag, "SessionDenied")
      if (denied._tag === "SessionDenied") assert.strictEqual(denied.status_code, 17)

      yield* simulator.approve(token.request_token)
      const session = yield* Authentication.createSession({ request_token: token.request_token })
      assert.match(Redacted.value(session.session_id), /^[0-9a-f]{40}$/)

      const reused = yield* Effect.flip(Authentication.createSession({ request_token: token.request_token }))
      assert.strictEqual(reused._tag, "InvalidRequestToken")
    }).pipe(Effect.provide(env)))

  it.effect("a denied token is SessionDenied", () =>
    Effect.gen(function*() {
      const simulator = yield* TmdbSimulator.TmdbSimulator
      const token = yield* Authentication.createRequestToken()
      yield* simulator.deny(token.request_token)
      const error = yield* Effect.flip(Authentication.createSession({ request_token: token.request_token }))
      assert.strictEqual(error._tag, "SessionDenied")
    }).pipe(Effect.provide(env)))

  it.effect("an approved token still works at 59 minutes", () =>
    Effect.gen(function*() {
      const simulator = yield* TmdbSimulator.TmdbSimulator
      const token = yield* Authentication.createRequestToken()
      yield* simulator.approve(token.request_token)
      yield* TestClock.adjust("59 minutes")
      const session = yield* Authentication.createSession({ request_token: token.request_token })
      assert.isTrue(session.success)
    }).pipe(Effect.provide(env)))

  it.effect("an approved token has expired at 61 minutes: InvalidRequestToken", () =>
    Effect.gen(function*() {
      const simulator = yield* TmdbSimulator.TmdbSimulator
      const token = yield* Authentication.createRequestToken()
      yield* simulator.approve(token.request_token)
      yield* TestClock.adjust("61 minutes")
      const error = yield* Effect.flip(Authentication.createSession({ request_token: token.request_token }))
      assert.strictEqual(error._tag, "InvalidRequestToken")
    }).pipe(Effect.provide(env)))

  it.effect("an expired token can't be validated with a password either", () =>
    Effect.gen(function*() {
      const token = yield* Authentication.createRequestToken()
      yield* TestClock.adjust("61 minutes")
      const error = yield* Effect.flip(
        Authentication.createSessionWithLogin({ username, password, request_token: token.request_token })
      )
      assert.strictEqual(error._tag, "InvalidRequestToken")
    }).pipe(Effect.provide(env)))
})

describe("createSessionFromV4Token", () => {
  it.effect("turns a v4 user access token into a session for that user", () =>
    Effect.gen(function*() {
      const simulator = yield* TmdbSimulator.TmdbSimulator
      const access_token = yield* simulator.grantAccessToken(username)
      const session = yield* Authentication.createSessionFromV4Token({ access_token: Redacted.make(access_token) })
      const account = yield* Account.details({ session_id: session.session_id })
      assert.strictEqual(account.username, username)
      const [request] = yield* requests
      assert.strictEqual(request?.path, "/3/authentication/session/convert/4")
      assert.deepStrictEqual(request?.body, { access_token })
    }).pipe(Effect.provide(env)))

  it.effect("a read access token is refused: AuthenticationFailed", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Authentication.createSessionFromV4Token({ access_token: TmdbSimulator.bearerToken })
      )
      assert.strictEqual(error._tag, "AuthenticationFailed")
    }).pipe(Effect.provide(env)))
})

describe("deleteSession", () => {
  it.effect("logs out; the session no longer works; a second logout is ResourceNotFound", () =>
    Effect.gen(function*() {
      const simulator = yield* TmdbSimulator.TmdbSimulator
      const session = yield* Authentication.loginWithPassword({ username, password })
      assert.lengthOf(yield* simulator.sessions, 1)
      const deleted = yield* Authentication.deleteSession({ session_id: session.session_id })
      assert.isTrue(deleted.success)
      assert.lengthOf(yield* simulator.sessions, 0)
      const gone = yield* Effect.flip(Account.details({ session_id: session.session_id }))
      assert.strictEqual(gone._tag, "AuthenticationFailed")
      const again = yield* Effect.flip(Authentication.deleteSession({ session_id: session.session_id }))
      assert.strictEqual(again._tag, "ResourceNotFound")
      const last = (yield* requests).find((r) => r.method === "DELETE")
      assert.deepStrictEqual(last?.body, { session_id: Redacted.value(session.session_id) })
      assert.deepStrictEqual(last?.query, {})
    }).pipe(Effect.provide(env)))
})

describe("loginWithPassword", () => {
  it.effect("runs token → validate_with_login → session/new and returns the session", () =>
    Effect.gen(function*() {
      const session = yield* Authentication.loginWithPassword({ username, password: Redacted.make(password) })
      const account = yield* Account.details({ session_id: session.session_id })
      assert.strictEqual(account.username, username)
      assert.deepStrictEqual(
        (yield* requests).map((r) => `${r.method} ${r.path}`),
        [
          "GET /3/authentication/token/new",
          "POST /3/authentication/token/validate_with_login",
          "POST /3/authentication/session/new",
          "GET /3/account"
        ]
      )
    }).pipe(Effect.provide(env)))

  it.effect("an empty username or password is InvalidInput before any request", () =>
    Effect.gen(function*() {
      const noUser = yield* Effect.flip(Authentication.loginWithPassword({ username: "", password }))
      assert.strictEqual(noUser._tag, "InvalidInput")
      const noPassword = yield* Effect.flip(Authentication.loginWithPassword({ username, password: "" }))
      assert.strictEqual(noPassword.message, "Invalid password: it is empty")
      assert.lengthOf(yield* requests, 0)
    }).pipe(Effect.provide(env)))

  it.effect("a wrong password can be caught by tag", () =>
    Effect.gen(function*() {
      const result = yield* Authentication.loginWithPassword({ username, password: "nope" }).pipe(
        Effect.map(() => "logged in"),
        Effect.catchTag("InvalidLogin", (e) => Effect.succeed(`refused: ${e.status_code}`))
      )
      assert.strictEqual(result, "refused: 30")
    }).pipe(Effect.provide(env)))

  it.effect("each user gets their own session", () =>
    Effect.gen(function*() {
      const simulator = yield* TmdbSimulator.TmdbSimulator
      const users = ["ann", "bob", "cy", "dee"]
      yield* Effect.forEach(users, (name) => simulator.addAccount({ username: name, password: `${name}-pw` }))
      const names = yield* Effect.forEach(
        users,
        (name) =>
          Authentication.loginWithPassword({ username: name, password: `${name}-pw` }).pipe(
            Effect.flatMap((session) => Account.details({ session_id: session.session_id })),
            Effect.map((account) => account.username)
          ),
        { concurrency: "unbounded" }
      )
      assert.deepStrictEqual(names, users)
    }).pipe(Effect.provide(env)))
})

describe("approvalUrl", () => {
  it("builds TMDB's approval page URL with redirect_to encoded", () => {
    assert.strictEqual(Authentication.approvalUrl("abc123"), "https://www.themoviedb.org/authenticate/abc123")
    assert.strictEqual(
      Authentication.approvalUrl("abc123", { redirectTo: "http://127.0.0.1:8788/cb?state=a&b=c d" }),
      "https://www.themoviedb.org/authenticate/abc123?redirect_to=http%3A%2F%2F127.0.0.1%3A8788%2Fcb%3Fstate%3Da%26b%3Dc%20d"
    )
    assert.strictEqual(
      Authentication.approvalUrl("abc123", { webUrl: "http://127.0.0.1:9000/" }),
      "http://127.0.0.1:9000/authenticate/abc123"
    )
  })

  it("throws InvalidInput for what is not a request token: no URL to another page of TMDB's site", () => {
    for (
      const bad of [undefined, null, 42, "", " ", "..", ".", "a/b", "../../account", "a?b", "a#b", "%2e%2e", "\ud800"]
    ) {
      assert.throws(() => Authentication.approvalUrl(bad as string), TmdbError.InvalidInput, /request_token/)
    }
  })

  it.effect("in an Effect, Effect.try makes it a typed failure", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Effect.try({ try: () => Authentication.approvalUrl(".."), catch: (e) => e as TmdbError.InvalidInput })
      )
      assert.strictEqual(error._tag, "InvalidInput")
      assert.strictEqual(error.field, "request_token")
    }))
})
