/**
 * Every fault the network throws, over real HTTP on 127.0.0.1 (FetchHttpClient against the
 * served simulator): each ends in the documented typed error or a successful retry — never a
 * defect, never a hang. Waits (backoff, Retry-After, the server's delays, the client's timeout)
 * run on TestClock, which the server shares.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import { Cause, Clock, Deferred, Effect, Exit, Fiber, Layer, Option } from "effect"
import type { Duration } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { createServer } from "node:http"
import type { IncomingMessage, ServerResponse } from "node:http"
import { Authentication, TmdbConfig } from "tmdb-effect"
import type { TmdbError } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { listen } from "./utils/listen.js"
import { freePort } from "./utils/ports.js"

const { Fault } = TmdbSimulator

/** Real time passes (sockets make progress) without touching TestClock. */
const realPause = (millis: number) => Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, millis)))

/**
 * Runs an effect while moving TestClock forward in small steps, until it ends; gives up after
 * 400 steps (a hang fails the test instead of timing it out). Returns the Exit and how much
 * TestClock time passed.
 */
const settle = <A, E, R>(effect: Effect.Effect<A, E, R>, step: Duration.Input = "100 millis") =>
  Effect.gen(function*() {
    const start = yield* Clock.currentTimeMillis
    const fiber = yield* Effect.forkChild(effect)
    for (let i = 0; i < 400; i++) {
      const done = fiber.pollUnsafe()
      if (done !== undefined) return { exit: done, elapsed: (yield* Clock.currentTimeMillis) - start }
      yield* realPause(2)
      yield* TestClock.adjust(step)
    }
    yield* Fiber.interrupt(fiber)
    return assert.fail("the call hung")
  })

/** The Exit is a typed failure (not a defect, not an interruption) with this tag. */
const assertFailsWith = <A, E extends { readonly _tag: string }>(exit: Exit.Exit<A, E>, tag: E["_tag"]) => {
  assert.isTrue(Exit.isFailure(exit), "expected a failure")
  if (Exit.isFailure(exit)) {
    assert.isFalse(Cause.hasDies(exit.cause), Cause.pretty(exit.cause))
    assert.isFalse(Cause.hasInterrupts(exit.cause), Cause.pretty(exit.cause))
    const error = Cause.findErrorOption(exit.cause)
    assert.isTrue(Option.isSome(error))
    if (Option.isSome(error)) assert.strictEqual(error.value._tag, tag, Cause.pretty(exit.cause))
    return Option.getOrThrow(error)
  }
  throw new Error("unreachable")
}

const assertSucceeds = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isFailure(exit)) return assert.fail(Cause.pretty(exit.cause))
  return exit.value
}

const simulator = TmdbSimulator.TmdbSimulator
const inject = (fault: TmdbSimulator.Fault, options?: { times?: number; path?: string }) =>
  Effect.flatMap(simulator, (s) => s.inject(fault, options))
/** Requests the simulator saw since `mark()`. */
const counter = Effect.gen(function*() {
  const s = yield* simulator
  const before = (yield* s.requests).length
  return Effect.map(s.requests, (requests) => requests.length - before)
})

/** Fast backoff and a generous timeout, so only the faults decide. */
const config = TmdbConfig.layer({
  timeout: "1 hour",
  retry: { ...TmdbConfig.defaultRetry, baseDelay: "100 millis" }
})

const approvedToken = Effect.gen(function*() {
  const token = yield* Authentication.createRequestToken()
  yield* Effect.flatMap(simulator, (s) => s.approve(token.request_token))
  return token.request_token
})

const SESSION_NEW = "/3/authentication/session/new"

describe("interruption over loopback", () => {
  // A server that never answers, and tells when the client hangs up.
  const silentServer = Effect.gen(function*() {
    const received = yield* Deferred.make<boolean>()
    const closed = yield* Deferred.make<boolean>()
    const server = createServer((_request: IncomingMessage, response: ServerResponse) => {
      Deferred.doneUnsafe(received, Exit.succeed(true))
      response.on("close", () => Deferred.doneUnsafe(closed, Exit.succeed(true)))
    })
    const port = yield* listen(server)
    return { baseUrl: `http://127.0.0.1:${port}`, received, closed }
  })

  it.live("interrupting the fiber aborts the HTTP request: the server sees the connection close", () =>
    Effect.gen(function*() {
      const { baseUrl, closed, received } = yield* silentServer
      const fiber = yield* Effect.forkChild(
        Authentication.validateKey().pipe(Effect.provide(TmdbConfig.layer({ baseUrl, retry: false })))
      )
      yield* Deferred.await(received)
      yield* Fiber.interrupt(fiber)
      const sawClose = yield* Deferred.await(closed).pipe(Effect.timeout("5 seconds"), Effect.option)
      assert.isTrue(Option.isSome(sawClose), "the server never saw the connection close")
    }).pipe(Effect.scoped, Effect.provide(Layer.merge(TmdbSimulator.credentials, FetchHttpClient.layer))))

  it.live("a timeout aborts the HTTP request too", () =>
    Effect.gen(function*() {
      const { baseUrl, closed } = yield* silentServer
      const exit = yield* Effect.exit(
        Authentication.validateKey().pipe(Effect.provide(TmdbConfig.layer({ baseUrl, retry: false, timeout: 200 })))
      )
      const error = assertFailsWith(exit, "TransportError")
      assert.strictEqual(error._tag === "TransportError" && error.reason, "Timeout")
      const sawClose = yield* Deferred.await(closed).pipe(Effect.timeout("5 seconds"), Effect.option)
      assert.isTrue(Option.isSome(sawClose), "the server never saw the connection close")
    }).pipe(Effect.scoped, Effect.provide(Layer.merge(TmdbSimulator.credentials, FetchHttpClient.layer))))
})

describe("connection refused over loopback", () => {
  it.live("GET and POST are both retried (nothing was sent), then TransportError (ConnectionRefused)", () =>
    Effect.gen(function*() {
      const port = yield* freePort
      const attempts: Array<string> = []
      const counting = Layer.effect(
        HttpClient.HttpClient,
        Effect.map(
          HttpClient.HttpClient,
          (client) => HttpClient.tapRequest(client, (request) => Effect.sync(() => void attempts.push(request.method)))
        )
      ).pipe(Layer.provide(FetchHttpClient.layer))
      const refused = TmdbConfig.layer({
        baseUrl: `http://127.0.0.1:${port}`,
        retry: { ...TmdbConfig.defaultRetry, times: 2, baseDelay: "5 millis" }
      })
      const calls: ReadonlyArray<Effect.Effect<unknown, TmdbError.TmdbError, Authentication.Requirements>> = [
        Authentication.validateKey(),
        Authentication.createSession({ request_token: "a".repeat(40) })
      ]
      for (const call of calls) {
        const error = assertFailsWith(
          yield* Effect.exit(call.pipe(Effect.provide(refused), Effect.provide(counting))),
          "TransportError"
        )
        assert.strictEqual(error._tag === "TransportError" && error.reason, "ConnectionRefused")
      }
      assert.deepStrictEqual(attempts, ["GET", "GET", "GET", "POST", "POST", "POST"])
    }).pipe(Effect.provide(TmdbSimulator.credentials)))
})

// Last: layer() swaps the methods of the shared `it` for its own.
layer(Layer.mergeAll(TmdbSimulator.layerServer(), TmdbSimulator.credentials, FetchHttpClient.layer))(
  "faults over loopback HTTP",
  (it) => {
    it.effect("HTML 502 page: a GET is retried and succeeds; a POST is TmdbUnavailable", () =>
      Effect.gen(function*() {
        yield* inject(Fault.Html({ status: 502 }), { times: 2, path: "/3/authentication/token/new" })
        const seen = yield* counter
        const token = assertSucceeds((yield* settle(Authentication.createRequestToken())).exit)
        assert.match(token.request_token, /^[0-9a-f]{40}$/)
        assert.strictEqual(yield* seen, 3)

        yield* inject(Fault.Html({ status: 502 }), { path: SESSION_NEW })
        const seenPost = yield* counter
        const error = assertFailsWith(
          (yield* settle(Authentication.createSession({ request_token: token.request_token }))).exit,
          "TmdbUnavailable"
        )
        assert.strictEqual(error._tag === "TmdbUnavailable" && error.httpStatus, 502)
        assert.strictEqual(yield* seenPost, 1, "a POST is never replayed")
      }).pipe(Effect.provide(config)))

    it.effect("malformed JSON is UnexpectedResponse with a short excerpt", () =>
      Effect.gen(function*() {
        yield* inject(Fault.MalformedJson({ status: 200 }))
        const error = assertFailsWith((yield* settle(Authentication.createRequestToken())).exit, "UnexpectedResponse")
        if (error._tag === "UnexpectedResponse") {
          assert.strictEqual(error.httpStatus, 200)
          assert.strictEqual(error.reason, "the body is not JSON")
          assert.strictEqual(error.excerpt, "{\"success\": tr")
        }
      }).pipe(Effect.provide(config)))

    it.effect("a truncated body (Content-Length longer than sent): GET retried, POST TransportError", () =>
      Effect.gen(function*() {
        yield* inject(Fault.Truncated({ status: 200 }), { path: "/3/authentication/token/new" })
        const seen = yield* counter
        assertSucceeds((yield* settle(Authentication.createRequestToken())).exit)
        assert.strictEqual(yield* seen, 2)

        const request_token = yield* approvedToken
        yield* inject(Fault.Truncated({ status: 200 }), { path: SESSION_NEW })
        const seenPost = yield* counter
        const error = assertFailsWith(
          (yield* settle(Authentication.createSession({ request_token }))).exit,
          "TransportError"
        )
        assert.strictEqual(error._tag === "TransportError" && error.reason, "ConnectionReset")
        assert.strictEqual(yield* seenPost, 1)
      }).pipe(Effect.provide(config)))

    it.effect("an empty body is UnexpectedResponse (200) or TmdbUnavailable (503 retried on a GET, 500 not)", () =>
      Effect.gen(function*() {
        yield* inject(Fault.Status({ status: 200 }))
        const error = assertFailsWith((yield* settle(Authentication.validateKey())).exit, "UnexpectedResponse")
        assert.strictEqual(error._tag === "UnexpectedResponse" && error.reason, "the body is empty")

        yield* inject(Fault.Status({ status: 503 }), { times: 4 })
        const seen = yield* counter
        const unavailable = assertFailsWith((yield* settle(Authentication.validateKey())).exit, "TmdbUnavailable")
        assert.strictEqual(unavailable._tag === "TmdbUnavailable" && unavailable.httpStatus, 503)
        assert.strictEqual(yield* seen, 4, "1 attempt + 3 retries")

        yield* inject(Fault.Status({ status: 500 }))
        const seen500 = yield* counter
        assertFailsWith((yield* settle(Authentication.validateKey())).exit, "TmdbUnavailable")
        assert.strictEqual(yield* seen500, 1, "only 502, 503 and 504 are retried")
      }).pipe(Effect.provide(config)))

    it.effect("connection reset before the request is read: GET retried, POST not (and not processed)", () =>
      Effect.gen(function*() {
        yield* inject(Fault.Refuse(), { path: "/3/authentication/token/new" })
        const seen = yield* counter
        assertSucceeds((yield* settle(Authentication.createRequestToken())).exit)
        assert.strictEqual(yield* seen, 2)

        const request_token = yield* approvedToken
        yield* inject(Fault.Refuse(), { path: SESSION_NEW })
        const error = assertFailsWith(
          (yield* settle(Authentication.createSession({ request_token }))).exit,
          "TransportError"
        )
        assert.strictEqual(error._tag === "TransportError" && error.reason, "ConnectionReset")
        // Not processed, so the token is still good.
        assertSucceeds((yield* settle(Authentication.createSession({ request_token }))).exit)
      }).pipe(Effect.provide(config)))

    it.effect("connection reset after the request is read (and processed): POST not replayed", () =>
      Effect.gen(function*() {
        const request_token = yield* approvedToken
        yield* inject(Fault.Drop({ afterProcessing: true }), { path: SESSION_NEW })
        const seen = yield* counter
        const error = assertFailsWith(
          (yield* settle(Authentication.createSession({ request_token }))).exit,
          "TransportError"
        )
        assert.strictEqual(error._tag === "TransportError" && error.reason, "ConnectionReset")
        assert.strictEqual(yield* seen, 1)
        // TMDB did process it: the token is spent.
        assertFailsWith((yield* settle(Authentication.createSession({ request_token }))).exit, "InvalidRequestToken")

        yield* inject(Fault.Drop({ afterProcessing: false }), { path: "/3/authentication/token/new" })
        const seenGet = yield* counter
        assertSucceeds((yield* settle(Authentication.createRequestToken())).exit)
        assert.strictEqual(yield* seenGet, 2, "a GET is retried after a reset")
      }).pipe(Effect.provide(config)))

    it.effect("an answer slower than the timeout: GET times out then retries; POST is a Timeout", () =>
      Effect.gen(function*() {
        const timeout = TmdbConfig.layer({ timeout: "5 seconds" })
        yield* inject(Fault.Delay({ duration: "1 minute" }), { path: "/3/authentication/token/new" })
        const seen = yield* counter
        const { elapsed, exit } = yield* settle(Authentication.createRequestToken().pipe(Effect.provide(timeout)))
        assertSucceeds(exit)
        assert.strictEqual(yield* seen, 2)
        assert.isAtLeast(elapsed, 5000)

        yield* inject(Fault.Delay({ duration: "1 minute" }), { path: SESSION_NEW })
        const post = yield* settle(
          Authentication.createSession({ request_token: "a".repeat(40) }).pipe(Effect.provide(timeout))
        )
        const error = assertFailsWith(post.exit, "TransportError")
        if (error._tag === "TransportError") {
          assert.strictEqual(error.reason, "Timeout")
          assert.include(error.message, "5s")
        }
        assert.isBelow(post.elapsed, 60_000, "did not wait for the slow answer")
      }).pipe(Effect.provide(config)))

    it.effect("a 429 burst with Retry-After (times: 3) is waited out, then succeeds", () =>
      Effect.gen(function*() {
        yield* inject(Fault.RateLimit({ retryAfter: 2 }), { times: 3 })
        const seen = yield* counter
        const { elapsed, exit } = yield* settle(Authentication.validateKey())
        assert.isTrue(assertSucceeds(exit).success)
        assert.strictEqual(yield* seen, 4)
        assert.isAtLeast(elapsed, 6000, "3 × Retry-After: 2")
      }).pipe(Effect.provide(config)))

    it.effect("a 429 burst without Retry-After waits 1 second each, also on a POST", () =>
      Effect.gen(function*() {
        const request_token = yield* approvedToken
        yield* inject(Fault.RateLimit({}), { times: 3, path: SESSION_NEW })
        const seen = yield* counter
        const { elapsed, exit } = yield* settle(Authentication.createSession({ request_token }))
        assert.isTrue(assertSucceeds(exit).success)
        assert.strictEqual(yield* seen, 4, "TMDB did not process a 429, so a POST is retried")
        assert.isAtLeast(elapsed, 3000)
      }).pipe(Effect.provide(config)))

    it.effect("a 429 burst longer than the retries ends in RateLimited with retryAfter", () =>
      Effect.gen(function*() {
        yield* inject(Fault.RateLimit({ retryAfter: 2 }), { times: 4 })
        const error = assertFailsWith((yield* settle(Authentication.validateKey())).exit, "RateLimited")
        if (error._tag === "RateLimited") {
          assert.strictEqual(error.httpStatus, 429)
          assert.strictEqual(error.status_code, 25)
        }
      }).pipe(Effect.provide(config)))
  }
)
