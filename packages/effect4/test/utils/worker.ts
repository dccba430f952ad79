/**
 * One OS process of manyProcesses.test.ts, bundled by it with esbuild (which reads this
 * TypeScript and the library's sources) and run on the Node that runs the tests (22). It reads
 * its job from the `WORKER` variable (JSON), prints `ready`, waits for a line on stdin (so all
 * processes start together), does the job against the served simulator and prints one JSON line
 * with the result. The `logins` job warms up first (5 logins).
 *
 * - `logins`: `flows` password logins, `concurrency` at a time, retries off (a 429 stays visible),
 *   paced through Redis when `redisPort` is given, else by the process alone;
 * - `save`: logs in and saves the login in Redis;
 * - `useAndDelete`: loads the login saved by another process, asks who it is, logs out.
 *
 * The Redis connection is the one a user provides: `@effect/platform-node`'s node-redis layer.
 */
import { NodeRedis } from "@effect/platform-node"
import { DateTime, Effect, Layer, Option } from "effect"
import { FetchHttpClient } from "effect/http"
import { Account, Authentication, SessionStore, TmdbConfig, TmdbRateLimiter } from "../../src/index.js"
import { RedisRateLimiter, RedisSessionStore } from "../../src/redis/index.js"
import { TmdbSimulator } from "../../src/testing/index.js"

/** What the test asks of one worker process. */
export interface Job {
  readonly command: "logins" | "save" | "useAndDelete"
  readonly baseUrl: string
  readonly redisPort?: number
  readonly flows?: number
  readonly concurrency?: number
}

const job = JSON.parse(process.env.WORKER ?? "{}") as Job

/** Says `ready` and waits for the go. */
const ready = Effect.callback<undefined>((resume) => {
  process.stdin.once("data", () => resume(Effect.undefined))
  process.stdout.write("ready\n")
})

/**
 * A few logins, and turns from the limiter under another key: so that loading and compiling code
 * in four processes at once on two cores does not hold back the first measured requests, which
 * would then arrive bunched with later ones. Paced like the rest; a throttled one is no matter.
 */
const warmUp = Effect.all([
  Effect.forEach(
    Array.from({ length: 5 }),
    () => Effect.ignore(Authentication.loginWithPassword(TmdbSimulator.defaultAccount))
  ),
  Effect.flatMap(
    TmdbRateLimiter.TmdbRateLimiter,
    (limiter) =>
      Effect.forEach(
        Array.from({ length: 20 }),
        () => Effect.scoped(limiter.take("warm-up", { limit: 1000, interval: "1 second" }))
      )
  )
])

const logins = Effect.gen(function*() {
  yield* warmUp
  yield* ready
  const started = Date.now()
  const outcomes = yield* Effect.forEach(
    Array.from({ length: job.flows ?? 1 }),
    () =>
      Authentication.loginWithPassword(TmdbSimulator.defaultAccount).pipe(
        Effect.as("ok"),
        Effect.catch((error) => Effect.succeed(error._tag))
      ),
    { concurrency: job.concurrency ?? 1 }
  )
  const counts: Record<string, number> = {}
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1
  return { outcomes: counts, elapsedMs: Date.now() - started }
})

const save = Effect.gen(function*() {
  yield* ready
  const store = yield* SessionStore.SessionStore
  const session = yield* Authentication.loginWithPassword(TmdbSimulator.defaultAccount)
  yield* store.save(
    new SessionStore.Login({
      kind: "session",
      session_id: session.session_id,
      account_id: 1000,
      username: TmdbSimulator.defaultAccount.username,
      created_at: yield* DateTime.now
    })
  )
  return { saved: true }
})

const useAndDelete = Effect.gen(function*() {
  yield* ready
  const store = yield* SessionStore.SessionStore
  const login = Option.getOrThrow(yield* store.load)
  const account = yield* Account.details({ session_id: login.session_id })
  const outcome = yield* SessionStore.logout()
  return { username: account.username, outcome: outcome._tag, after: Option.isSome(yield* store.load) }
})

const program: Effect.Effect<
  unknown,
  unknown,
  Authentication.Requirements | SessionStore.SessionStore
> = job.command === "logins" ? logins : job.command === "save" ? save : useAndDelete

/** Pacing and sessions through Redis (one connection for both), else this process's own. */
const shared = job.redisPort === undefined
  ? Layer.merge(TmdbRateLimiter.layer, SessionStore.layerMemory)
  : Layer.merge(RedisRateLimiter.layer(), RedisSessionStore.layer()).pipe(
    Layer.provide(NodeRedis.layer({ url: `redis://127.0.0.1:${job.redisPort}` }))
  )

const layer = Layer.mergeAll(
  FetchHttpClient.layer,
  TmdbSimulator.credentials,
  TmdbConfig.layer({ baseUrl: job.baseUrl, retry: false }),
  shared
)

Effect.runPromise(program.pipe(Effect.provide(layer))).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`)
    process.exit(0)
  },
  (error: unknown) => {
    process.stderr.write(`worker failed: ${String(error)}\n`)
    process.exit(1)
  }
)
