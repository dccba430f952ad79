import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
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

  it.effect("still reads TmdbConfig at each call", () => {
    const recorder = replay({ status: 200, body: { success: true } })
    const service = TmdbAuth.layer.pipe(Layer.provide(Layer.mergeAll(recorder.layer, TmdbSimulator.credentials)))
    return Effect.gen(function*() {
      const tmdb = yield* TmdbAuth.TmdbAuth
      yield* tmdb.authentication.validateKey().pipe(Effect.provide(TmdbConfig.layer({ baseUrl: "http://tmdb.test" })))
      yield* tmdb.authentication.validateKey()
      assert.deepStrictEqual(recorder.sent.map((r) => r.url.origin), ["http://tmdb.test", "https://api.themoviedb.org"])
    }).pipe(Effect.provide(service))
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
