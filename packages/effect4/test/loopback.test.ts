/**
 * The same flows over real HTTP on 127.0.0.1: FetchHttpClient against the served simulator.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Layer, Logger, Redacted, References } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import { Account, Authentication, TmdbConfig } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { freePort } from "./utils/ports.js"

const { username, password } = TmdbSimulator.defaultAccount
const { Fault } = TmdbSimulator

describe("without a server", () => {
  it.live("a refused connection is TransportError (ConnectionRefused)", () =>
    Effect.gen(function*() {
      const port = yield* freePort
      const error = yield* Effect.flip(
        Authentication.validateKey().pipe(
          Effect.provide(TmdbConfig.layer({ baseUrl: `http://127.0.0.1:${port}`, retry: false }))
        )
      )
      assert.strictEqual(error._tag, "TransportError")
      if (error._tag === "TransportError") assert.strictEqual(error.reason, "ConnectionRefused")
    }).pipe(Effect.provide(Layer.mergeAll(TmdbSimulator.credentials, FetchHttpClient.layer))))
})

// Last: layer() swaps the methods of the shared `it` for its own.
layer(Layer.mergeAll(TmdbSimulator.layerServer(), TmdbSimulator.credentials, FetchHttpClient.layer), {
  excludeTestServices: true
})(
  "over loopback HTTP",
  (it) => {
    it.effect("serves on 127.0.0.1", () =>
      Effect.gen(function*() {
        const { baseUrl } = yield* TmdbConfig.TmdbConfig
        assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/)
      }))

    it.effect("browser flow: token → approval → session → who → logout", () =>
      Effect.gen(function*() {
        const simulator = yield* TmdbSimulator.TmdbSimulator
        assert.isTrue((yield* Authentication.validateKey()).success)
        const token = yield* Authentication.createRequestToken()
        yield* simulator.approve(token.request_token)
        const session = yield* Authentication.createSession({ request_token: token.request_token })
        const account = yield* Account.details({ session_id: session.session_id })
        assert.strictEqual(account.username, username)
        const deleted = yield* Authentication.deleteSession({ session_id: session.session_id })
        assert.isTrue(deleted.success)
        const gone = yield* Effect.flip(Account.details({ session_id: session.session_id }))
        assert.strictEqual(gone._tag, "AuthenticationFailed")
      }))

    it.effect("password login with api_key credentials, and a guest session", () =>
      Effect.gen(function*() {
        const session = yield* Authentication.loginWithPassword({ username, password: Redacted.make(password) })
        const account = yield* Account.details({ session_id: session.session_id })
        assert.strictEqual(account.username, username)
        const guest = yield* Authentication.createGuestSession()
        assert.match(Redacted.value(guest.guest_session_id), /^[0-9a-f]{32}$/)
      }).pipe(Effect.provide(TmdbSimulator.apiKeyCredentials)))

    it.effect("a wrong password is InvalidLogin; an unapproved token SessionDenied", () =>
      Effect.gen(function*() {
        const wrong = yield* Effect.flip(Authentication.loginWithPassword({ username, password: "nope" }))
        assert.strictEqual(wrong._tag, "InvalidLogin")
        const token = yield* Authentication.createRequestToken()
        const denied = yield* Effect.flip(Authentication.createSession({ request_token: token.request_token }))
        assert.strictEqual(denied._tag, "SessionDenied")
      }))

    it.effect("a dropped connection on a GET is retried", () =>
      Effect.gen(function*() {
        const simulator = yield* TmdbSimulator.TmdbSimulator
        const before = (yield* simulator.requests).length
        yield* simulator.inject(Fault.Drop({ afterProcessing: false }), { path: "/3/authentication" })
        assert.isTrue((yield* Authentication.validateKey()).success)
        assert.strictEqual((yield* simulator.requests).length - before, 2)
      }))

    it.effect("a dropped connection on a POST is a TransportError, not retried", () =>
      Effect.gen(function*() {
        const simulator = yield* TmdbSimulator.TmdbSimulator
        const token = yield* Authentication.createRequestToken()
        yield* simulator.approve(token.request_token)
        yield* simulator.inject(Fault.Drop({ afterProcessing: true }), { path: "/3/authentication/session/new" })
        const error = yield* Effect.flip(Authentication.createSession({ request_token: token.request_token }))
        assert.strictEqual(error._tag, "TransportError")
        // TMDB did process it: the token is spent, which is why a POST is never replayed.
        const again = yield* Effect.flip(Authentication.createSession({ request_token: token.request_token }))
        assert.strictEqual(again._tag, "InvalidRequestToken")
      }))

    it.effect("an HTML 502 page on a POST is TmdbUnavailable", () =>
      Effect.gen(function*() {
        const simulator = yield* TmdbSimulator.TmdbSimulator
        yield* simulator.inject(Fault.Html({ status: 502 }), { path: "/3/authentication/session/new" })
        const error = yield* Effect.flip(Authentication.createSession({ request_token: "a".repeat(40) }))
        assert.strictEqual(error._tag, "TmdbUnavailable")
      }))

    it.effect("an answer slower than the timeout is a Timeout", () =>
      Effect.gen(function*() {
        const simulator = yield* TmdbSimulator.TmdbSimulator
        yield* simulator.inject(Fault.Delay({ duration: "2 seconds" }))
        const error = yield* Effect.flip(
          Authentication.validateKey().pipe(Effect.provide(TmdbConfig.layer({ timeout: "200 millis", retry: false })))
        )
        assert.strictEqual(error._tag === "TransportError" && error.reason, "Timeout")
      }))

    // The request runs in a fiber of its own (for the timeout): it must still see what the caller
    // provided, as if it ran in the caller's fiber.
    it.effect("the request sees the caller's services and fiber refs: a FetchHttpClient.Fetch, log annotations", () =>
      Effect.gen(function*() {
        const seen: Array<string> = []
        const countingFetch: typeof globalThis.fetch = (input, init) => {
          seen.push(String(init?.method))
          return globalThis.fetch(input, init)
        }
        const logged: Array<unknown> = []
        const logger = Logger.make(({ fiber }) =>
          logged.push(fiber.getRef(References.CurrentLogAnnotations)["request"])
        )
        const client = yield* HttpClient.HttpClient
        const logging = Layer.succeed(
          HttpClient.HttpClient,
          HttpClient.tapRequest(client, () => Effect.logInfo("sending"))
        )
        const result = yield* Authentication.validateKey().pipe(
          Effect.provide(logging),
          Effect.provideService(FetchHttpClient.Fetch, countingFetch),
          Effect.annotateLogs("request", "from-the-caller"),
          Effect.provide(Logger.layer([logger]))
        )
        assert.isTrue(result.success)
        assert.deepStrictEqual(seen, ["GET"])
        assert.deepStrictEqual(logged, ["from-the-caller"])
      }))
  }
)
