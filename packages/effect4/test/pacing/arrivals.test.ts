/**
 * Pacing as TMDB judges it: by when requests arrive at its door. A fake TMDB in a process of its
 * own logs each arrival and throttles past its sliding-window limit, while another process keeps
 * a core busy, so arrivals bunch as they do on a loaded machine. Run on its own
 * (vitest.pacing.config.ts, after the other suites), so it slows no other test file. Exact
 * windowing is tested on TestClock in test/TmdbRateLimiter.test.ts; the pace these runs keep is
 * measured by `npm run bench` (bench/pacing.mjs), not asserted here.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import type { HttpClient } from "effect/http"
import { Authentication, TmdbConfig, TmdbRateLimiter } from "tmdb-effect"
import { NodeTmdbHttpClient } from "tmdb-effect/node"
import { TmdbSimulator } from "tmdb-effect/testing"
import { arrivalServer, busiest, busyCore } from "../utils/arrivalServer.js"

/** What each run sends through: a fresh limiter (not the process-wide one), no retries. */
const paced = (
  baseUrl: string,
  client: Layer.Layer<HttpClient.HttpClient>,
  rateLimit?: TmdbConfig.Settings["rateLimit"]
) =>
  Layer.mergeAll(
    TmdbConfig.layer({ baseUrl, retry: false, ...(rateLimit === undefined ? {} : { rateLimit }) }),
    TmdbRateLimiter.layer,
    client,
    TmdbSimulator.credentials
  )

/** A login with logout: 4 requests. */
const flow = Authentication.loginWithPassword({ username: "demo", password: "demo-password" }).pipe(
  Effect.flatMap((session) => Authentication.deleteSession({ session_id: session.session_id }))
)

describe("pacing at TMDB's door, with a core busy", () => {
  it.live("100 calls at once at the default 40 a second: none throttled", () =>
    Effect.gen(function*() {
      yield* busyCore
      const server = yield* arrivalServer(40)
      yield* Effect.forEach(Array.from({ length: 100 }), () => Authentication.validateKey(), {
        concurrency: "unbounded"
      }).pipe(Effect.provide(paced(server.baseUrl, FetchHttpClient.layer)))
      const { arrivals, throttled } = yield* server.log
      assert.strictEqual(throttled, 0)
      assert.lengthOf(arrivals, 100)
      assert.isAtMost(busiest(arrivals, 1000), 40)
    }).pipe(Effect.scoped), 60_000)

  for (
    const [name, client] of [
      ["FetchHttpClient", FetchHttpClient.layer],
      ["NodeTmdbHttpClient", NodeTmdbHttpClient.layer]
    ] as const
  ) {
    it.live(
      `200 login flows, 32 at a time, told the server's 200 a second, over ${name}: none throttled`,
      () =>
        Effect.gen(function*() {
          yield* busyCore
          const server = yield* arrivalServer(200)
          yield* Effect.forEach(Array.from({ length: 200 }), () => flow, { concurrency: 32 }).pipe(
            Effect.provide(paced(server.baseUrl, client, { limit: 200, interval: "1 second" }))
          )
          const { arrivals, throttled } = yield* server.log
          assert.strictEqual(throttled, 0)
          assert.lengthOf(arrivals, 800)
          assert.isAtMost(busiest(arrivals, 1000), 200)
        }).pipe(Effect.scoped),
      60_000
    )
  }
})
