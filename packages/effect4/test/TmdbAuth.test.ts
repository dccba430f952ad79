import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import { Authentication, TmdbAuth, TmdbConfig } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { replay } from "./utils/replay.js"

const simulator = TmdbSimulator.layer()
const env = Layer.mergeAll(
  TmdbAuth.layer.pipe(Layer.provide(Layer.mergeAll(simulator, TmdbSimulator.credentials))),
  simulator
)

describe("TmdbAuth", () => {
  it.effect("groups every endpoint with its requirements provided", () =>
    Effect.gen(function*() {
      const tmdb = yield* TmdbAuth.TmdbAuth
      const { username, password } = TmdbSimulator.defaultAccount
      const session = yield* tmdb.authentication.loginWithPassword({ username, password })
      const account = yield* tmdb.account.details({ session_id: session.session_id })
      assert.strictEqual(account.username, username)
      const guest = yield* tmdb.authentication.createGuestSession()
      assert.isTrue(guest.success)
      const deleted = yield* tmdb.authentication.deleteSession({ session_id: session.session_id })
      assert.isTrue(deleted.success)
      assert.deepStrictEqual(
        Object.keys(tmdb.authentication).sort(),
        [
          "createGuestSession",
          "createRequestToken",
          "createSession",
          "createSessionFromV4Token",
          "createSessionWithLogin",
          "deleteSession",
          "loginWithPassword",
          "validateKey"
        ]
      )
    }).pipe(Effect.provide(env)))

  it.effect("keeps the TmdbConfig it was built with, whatever its callers provide", () => {
    const recorder = replay({ status: 200, body: { success: true } })
    const service = TmdbAuth.layer.pipe(
      Layer.provide(Layer.mergeAll(recorder.layer, TmdbSimulator.credentials)),
      Layer.provide(TmdbConfig.layer({ baseUrl: "http://tmdb.test" }))
    )
    return Effect.gen(function*() {
      const tmdb = yield* TmdbAuth.TmdbAuth
      yield* tmdb.authentication.validateKey()
      yield* tmdb.authentication.validateKey().pipe(Effect.provide(TmdbConfig.layer({ baseUrl: "http://other.test" })))
      assert.deepStrictEqual(recorder.sent.map((r) => r.url.origin), ["http://tmdb.test", "http://tmdb.test"])
    }).pipe(Effect.provide(service))
  })

  describe("built against the served simulator", () => {
    /** A client that refuses, as a defect, any request to an origin other than the configured one. */
    const sameOriginOnly = Layer.effect(
      HttpClient.HttpClient,
      Effect.gen(function*() {
        const client = yield* HttpClient.HttpClient
        const allowed = new URL((yield* TmdbConfig.TmdbConfig).baseUrl).origin
        return HttpClient.mapRequestEffect(client, (request) => {
          const origin = new URL(request.url).origin
          return origin === allowed ? Effect.succeed(request) : Effect.die(new Error(`a request to ${origin}`))
        })
      })
    ).pipe(Layer.provide(FetchHttpClient.layer))
    const served = Layer.provideMerge(
      TmdbAuth.layer.pipe(Layer.provide(Layer.mergeAll(sameOriginOnly, TmdbSimulator.credentials))),
      TmdbSimulator.layerServer()
    )

    it.effect("every call reaches the simulator and nothing else, even where the caller's config says TMDB", () =>
      Effect.gen(function*() {
        const tmdb = yield* TmdbAuth.TmdbAuth
        const simulator = yield* TmdbSimulator.TmdbSimulator
        const { username, password } = TmdbSimulator.defaultAccount
        const { authentication: v3, v4, account } = tmdb
        assert.isTrue((yield* v3.validateKey()).success)
        assert.isTrue((yield* v3.createGuestSession()).success)
        const token = yield* v3.createRequestToken()
        yield* v3.createSessionWithLogin({ username, password, request_token: token.request_token })
        const session = yield* v3.createSession({ request_token: token.request_token })
        assert.strictEqual((yield* account.details({ session_id: session.session_id })).username, username)
        assert.isTrue((yield* v3.deleteSession({ session_id: session.session_id })).success)
        const login = yield* v3.loginWithPassword({ username, password })
        assert.isTrue((yield* v3.deleteSession({ session_id: login.session_id })).success)
        const access_token = yield* simulator.grantAccessToken(username)
        assert.isTrue((yield* v3.createSessionFromV4Token({ access_token })).success)
        const v4Token = yield* v4.createRequestToken()
        yield* simulator.approve(v4Token.request_token)
        const access = yield* v4.createAccessToken({ request_token: v4Token.request_token })
        assert.isTrue((yield* v4.deleteAccessToken({ access_token: access.access_token })).success)
        const v4Login = yield* v4.createRequestToken()
        yield* simulator.approve(v4Login.request_token)
        const both = yield* v4.loginToSession({ request_token: v4Login.request_token })
        assert.strictEqual((yield* account.details({ session_id: both.session_id })).username, username)
      }).pipe(
        // what a caller in production code has in force: TMDB's own URLs
        Effect.provide(TmdbConfig.layer(TmdbConfig.defaults)),
        Effect.provide(served)
      ))
  })

  it.effect("a base URL with a trailing slash still reaches /3/…", () => {
    const recorder = replay({ status: 200, body: { success: true } })
    return Effect.gen(function*() {
      yield* Authentication.validateKey().pipe(Effect.provide(TmdbConfig.layer({ baseUrl: "http://tmdb.test//" })))
      assert.deepStrictEqual(recorder.sent.map((r) => r.url.href), ["http://tmdb.test/3/authentication"])
    }).pipe(Effect.provide(Layer.mergeAll(recorder.layer, TmdbSimulator.credentials)))
  })

  it.effect("makes the same values as the plain functions", () =>
    Effect.gen(function*() {
      const tmdb = yield* TmdbAuth.TmdbAuth
      const token = yield* tmdb.authentication.createRequestToken()
      assert.instanceOf(token, Authentication.RequestToken)
    }).pipe(Effect.provide(env)))
})
