/**
 * The undici client of `tmdb-effect/node`: the whole flow over the served simulator, one
 * connection kept across DELETEs with a body (through `layer` and `make`), the pool size, and a
 * timeout or an interruption aborting the request.
 */
import * as Undici from "@effect/platform-node/Undici"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Schedule } from "effect"
import { HttpClient } from "effect/http"
import { createServer } from "node:http"
import type { Server } from "node:http"
import { Authentication, TmdbConfig } from "tmdb-effect"
import { NodeTmdbHttpClient } from "tmdb-effect/node"
import { TmdbSimulator } from "tmdb-effect/testing"

interface Stats {
  connections: number
  requests: number
  aborted: number
}

/**
 * A node:http server answering `{ success: true }` (after `delay` ms), counting connections,
 * requests received, and requests whose connection closed before their answer was sent.
 */
const countingServer = (delay = 0) =>
  Effect.acquireRelease(
    Effect.callback<{ readonly server: Server; readonly baseUrl: string; readonly stats: Stats }>(
      (resume) => {
        const stats: Stats = { connections: 0, requests: 0, aborted: 0 }
        const server = createServer((request, response) => {
          stats.requests++
          response.on("close", () => {
            if (!response.writableFinished) stats.aborted++
          })
          request.resume()
          request.on("end", () =>
            setTimeout(() => {
              if (response.destroyed) return
              response.writeHead(200, { "content-type": "application/json" })
              response.end(
                JSON.stringify({
                  success: true,
                  request_token: "1531f1a558c8357ce8990cf887ff196e8f5402ec",
                  expires_at: "2036-08-26 17:04:39 UTC",
                  session_id: "79191836ddaa0da3df76a5ffef6f07ad6ab0c641"
                })
              )
            }, delay))
        })
        server.on("connection", () => stats.connections++)
        server.listen(0, "127.0.0.1", () => {
          const address = server.address()
          const port = typeof address === "object" && address !== null ? address.port : 0
          resume(Effect.succeed({ server, baseUrl: `http://127.0.0.1:${port}`, stats }))
        })
      }
    ),
    ({ server }) =>
      Effect.promise(() =>
        new Promise<void>((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        })
      )
  )

/** Waits (up to 2 s) until `check` holds. */
const eventually = (check: () => boolean) =>
  Effect.suspend(() => check() ? Effect.void : Effect.fail("not yet")).pipe(
    Effect.retry({ schedule: Schedule.spaced(10), times: 200 }),
    Effect.orDie
  )

/** One login flow without the password step: token, session, logout (a DELETE with a body). */
const flow = Effect.gen(function*() {
  const token = yield* Authentication.createRequestToken()
  const session = yield* Authentication.createSession({ request_token: token.request_token })
  yield* Authentication.deleteSession({ session_id: session.session_id })
})

describe("NodeTmdbHttpClient", () => {
  it.live("runs the password login and logout against the served simulator", () =>
    Effect.gen(function*() {
      const session = yield* Authentication.loginWithPassword(TmdbSimulator.defaultAccount)
      const deleted = yield* Authentication.deleteSession({ session_id: session.session_id })
      assert.isTrue(deleted.success)
      const error = yield* Effect.flip(Authentication.deleteSession({ session_id: session.session_id }))
      assert.strictEqual(error._tag, "ResourceNotFound")
    }).pipe(
      Effect.provide(
        Layer.mergeAll(TmdbSimulator.layerServer(), TmdbSimulator.credentials, NodeTmdbHttpClient.layer)
      )
    ))

  it.live("keeps one connection across DELETEs with a JSON body", () =>
    Effect.gen(function*() {
      const { baseUrl, stats } = yield* countingServer()
      const flows = (n: number) =>
        Effect.repeat(flow, { times: n - 1 }).pipe(Effect.provide(TmdbConfig.layer({ baseUrl })))
      yield* flows(5)
      const opened = stats.connections
      // one, or two when the pool dispatched before the first was released; then no reconnects
      assert.isAtMost(opened, 2)
      yield* flows(10)
      assert.strictEqual(stats.connections, opened)
    }).pipe(Effect.provide(Layer.merge(TmdbSimulator.credentials, NodeTmdbHttpClient.layer))))

  it.live("opens at most `connections` connections per origin", () =>
    Effect.gen(function*() {
      const { baseUrl, stats } = yield* countingServer(20)
      yield* Effect.all(Array.from({ length: 12 }, () => Authentication.validateKey()), { concurrency: "unbounded" })
        .pipe(Effect.provide(TmdbConfig.layer({ baseUrl })))
      assert.strictEqual(stats.connections, 3)
    }).pipe(
      Effect.provide(Layer.merge(TmdbSimulator.credentials, NodeTmdbHttpClient.layerWith({ connections: 3 })))
    ))

  it.live("make: keep-alive after DELETEs with a body over your own dispatcher", () =>
    Effect.gen(function*() {
      const { baseUrl, stats } = yield* countingServer()
      const agent = yield* Effect.acquireRelease(
        Effect.sync(() => new Undici.Agent({ connections: 1 })),
        (agent) => Effect.promise(() => agent.destroy())
      )
      yield* Effect.repeat(flow, { times: 9 }).pipe(
        Effect.provide(TmdbConfig.layer({ baseUrl })),
        Effect.provideService(HttpClient.HttpClient, NodeTmdbHttpClient.make(agent))
      )
      assert.strictEqual(stats.requests, 30)
      assert.strictEqual(stats.connections, 1)
    }).pipe(Effect.provide(TmdbSimulator.credentials)))

  it.live("a timeout aborts the request: TransportError (Timeout), the server sees it close", () =>
    Effect.gen(function*() {
      const { baseUrl, stats } = yield* countingServer(2_000)
      const error = yield* Effect.flip(
        Authentication.validateKey().pipe(Effect.provide(TmdbConfig.layer({ baseUrl, timeout: 100, retry: false })))
      )
      assert.strictEqual(error._tag === "TransportError" && error.reason, "Timeout")
      yield* eventually(() => stats.aborted === 1)
      assert.strictEqual(stats.requests, 1)
    }).pipe(Effect.provide(Layer.merge(TmdbSimulator.credentials, NodeTmdbHttpClient.layer))))

  it.live("interrupting the caller aborts the request: the server sees it close", () =>
    Effect.gen(function*() {
      const { baseUrl, stats } = yield* countingServer(2_000)
      const fiber = yield* Authentication.validateKey().pipe(
        Effect.provide(TmdbConfig.layer({ baseUrl })),
        Effect.forkChild
      )
      yield* eventually(() => stats.requests === 1)
      assert.strictEqual(stats.aborted, 0)
      yield* Fiber.interrupt(fiber)
      yield* eventually(() => stats.aborted === 1)
    }).pipe(Effect.provide(Layer.merge(TmdbSimulator.credentials, NodeTmdbHttpClient.layer))))
})
