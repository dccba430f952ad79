/**
 * Load: 1,000 password logins for 1,000 accounts over real HTTP on 127.0.0.1
 * (FetchHttpClient against the served simulator). Every login succeeds, every session belongs
 * to its own user (no cross-talk), and the heap returns near where it started once the server
 * is gone; and the same logins all at once over NodeTmdbHttpClient (pooled connections).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import type { HttpClient } from "effect/http"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { Account, Authentication, TmdbConfig } from "tmdb-effect"
import { NodeTmdbHttpClient } from "tmdb-effect/node"
import { TmdbSimulator } from "tmdb-effect/testing"
import { freePort } from "./utils/ports.js"

const USERS = 1000
/**
 * Logins in flight at once. All 1,000 at once works too when alone, but next to other test
 * files on 2 cores the event loop falls so far behind that requests hit the 10 s timeout and
 * GETs get retried; 100 at a time keeps every request well inside it.
 */
const CONCURRENCY = 100

// A way to collect garbage without starting vitest with --expose-gc.
setFlagsFromString("--expose-gc")
const gc = runInNewContext("gc") as () => void
const settledHeap = Effect.promise(async () => {
  for (let i = 0; i < 3; i++) {
    gc()
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return process.memoryUsage().heapUsed
})

const accountsOf = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ username: `user-${i}`, password: `pw-${i}-${i * 7919}` }))

/**
 * Every account logs in, then asks who it is, against a fresh simulator served on `port`; the
 * server closes at the end. (The same port each time: fetch's global agent keeps a connection
 * pool per origin for the life of the process, which is not ours to measure.)
 */
const loginAll = (
  accounts: ReadonlyArray<{ readonly username: string; readonly password: string }>,
  port: number,
  options: {
    readonly client: Layer.Layer<HttpClient.HttpClient>
    readonly concurrency: number | "unbounded"
  } = { client: FetchHttpClient.layer, concurrency: CONCURRENCY }
) =>
  Effect.gen(function*() {
    const simulator = yield* TmdbSimulator.TmdbSimulator
    const baseUrl = yield* TmdbSimulator.serve({ port })
    const started = Date.now()
    // A generous timeout below: on a busy machine the point is cross-talk and memory, not latency.
    const results = yield* Effect.forEach(
      accounts,
      ({ password, username }) =>
        Effect.gen(function*() {
          const session = yield* Authentication.loginWithPassword({ username, password: Redacted.make(password) })
          const account = yield* Account.details({ session_id: session.session_id })
          return { username, who: account.username, session_id: Redacted.value(session.session_id) }
        }),
      { concurrency: options.concurrency }
    ).pipe(
      // pacing off: at TMDB's 40 requests a second the run would measure the pace, not the load
      Effect.provide(TmdbConfig.layer({ baseUrl, timeout: "120 seconds", rateLimit: false }))
    )
    const elapsed = Date.now() - started
    const sessions = yield* simulator.sessions
    const requests = (yield* simulator.requests).length
    return { results, elapsed, sessions, requests }
  }).pipe(
    Effect.scoped,
    Effect.provide(
      Layer.mergeAll(
        Layer.effect(TmdbSimulator.TmdbSimulator, TmdbSimulator.make({ accounts })),
        TmdbSimulator.credentials,
        options.client
      )
    )
  )

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10

describe("load", () => {
  it.live(
    `${USERS} password logins (${CONCURRENCY} at a time) over loopback: no cross-talk, memory returns`,
    () =>
      Effect.gen(function*() {
        const port = yield* freePort
        // warm up with a run of the same size: JIT, modules, and fetch's connection pool for this
        // origin grown to what the measured run needs, so what stays after it is what the run kept
        yield* loginAll(accountsOf(USERS), port)
        const before = yield* settledHeap
        const { elapsed, requests, results, sessions } = yield* loginAll(accountsOf(USERS), port)
        const during = process.memoryUsage().heapUsed
        const after = yield* settledHeap

        assert.lengthOf(results, USERS)
        for (const { username, who } of results) {
          assert.strictEqual(who, username, "a session answered for another user")
        }
        assert.strictEqual(
          new Set(results.map((r) => r.session_id)).size,
          USERS,
          "every session id is distinct"
        )
        // The simulator agrees: each session id maps to the user who logged in with it.
        const owner = new Map(sessions.map((s) => [s.session_id, s.username]))
        for (const { session_id, username } of results) assert.strictEqual(owner.get(session_id), username)
        assert.strictEqual(requests, USERS * 4, "token, validate_with_login, session, account: no retries needed")

        console.log(
          `load: ${USERS} logins (${requests} requests) in ${elapsed} ms; heap ${mb(before)} MB before, ` +
            `${mb(during)} MB during, ${mb(after)} MB after`
        )
        // a second run of the same size keeps nothing: the 100 MB or more it used is gone
        assert.isBelow(after - before, 8 * 1024 * 1024, "the heap is back near its start")
      }),
    { timeout: 240_000 }
  )

  it.live(
    `${USERS} password logins all at once over NodeTmdbHttpClient (20 pooled connections): no cross-talk`,
    () =>
      Effect.gen(function*() {
        const port = yield* freePort
        const options = { client: NodeTmdbHttpClient.layer, concurrency: "unbounded" } as const
        const { elapsed, requests, results } = yield* loginAll(accountsOf(USERS), port, options)
        assert.lengthOf(results, USERS)
        for (const { username, who } of results) {
          assert.strictEqual(who, username, "a session answered for another user")
        }
        assert.strictEqual(new Set(results.map((r) => r.session_id)).size, USERS, "every session id is distinct")
        assert.strictEqual(requests, USERS * 4, "no retries needed")
        console.log(`load: ${USERS} concurrent logins over NodeTmdbHttpClient (${requests} requests) in ${elapsed} ms`)
      }),
    { timeout: 240_000 }
  )
})
