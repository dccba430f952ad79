/**
 * Many processes, one TMDB limit, on a real redis-server: OS processes (test/utils/worker.ts,
 * bundled once with esbuild, run on the Node that runs the tests) log in against a fake TMDB in a
 * process of its own that counts arrivals, as TMDB does, and answers 429 past the very limit the
 * processes pace at. Paced through Redis they share one budget and none is throttled; each
 * pacing alone, they are. A login saved by one process is used and deleted by another (against
 * the served simulator). And Redis killed mid-run ends every call with a success or a typed
 * error, none hanging; nothing secret is in a Redis key.
 */
import { assert, it } from "@effect/vitest"
import { Cause, Context, DateTime, Effect, Exit, Fiber, Layer, Option, Redacted } from "effect"
import type { HttpClient } from "effect/http"
import { Redis } from "effect/persistence"
import { build } from "esbuild"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { Authentication, SessionStore, TmdbConfig, TmdbError } from "tmdb-effect"
import type { TmdbCredentials } from "tmdb-effect"
import { RedisRateLimiter, RedisSessionStore } from "tmdb-effect/redis"
import { TmdbSimulator } from "tmdb-effect/testing"
import { arrivalServer, busiest } from "./utils/arrivalServer.js"
import { connection, describeRedis, redisServer } from "./utils/redisServer.js"
import type { Job } from "./utils/worker.js"

const root = fileURLToPath(new URL("..", import.meta.url))
const PROCESSES = 4
const FLOWS = 50
/** The server's limit per sliding second: the library's default pace, which the processes keep. */
const SERVER_LIMIT = 40
/** Logins in flight per process: also the most requests one held-up process can send at once. */
const CONCURRENCY = 5

/** test/utils/worker.ts as one ES module for Node 22, built once per run. */
const bundle = Effect.acquireRelease(
  Effect.promise(async () => {
    const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "tmdb-worker-"))
    const outfile = Path.join(dir, "worker.mjs")
    await build({
      entryPoints: [Path.join(root, "test/utils/worker.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      outfile,
      // node-redis is CommonJS: its requires of Node's modules need a `require` in an ES module
      banner: { js: "import { createRequire } from \"node:module\"; const require = createRequire(import.meta.url);" },
      logLevel: "error"
    })
    return { dir, outfile }
  }),
  ({ dir }) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

/**
 * Starts one process per job, lets them all go at once a second after every one is ready, and
 * returns their results (the last line each printed).
 */
const runWorkers = (worker: string, jobs: ReadonlyArray<Job>) =>
  Effect.callback<ReadonlyArray<Record<string, unknown>>, Error>((resume) => {
    const results: Array<Record<string, unknown>> = []
    let ready = 0
    let done = 0
    const children = jobs.map((job, index) => {
      const child = spawn(process.execPath, [worker], {
        env: { ...process.env, WORKER: JSON.stringify(job) },
        stdio: ["pipe", "pipe", "inherit"]
      })
      let out = ""
      child.stdout.on("data", (chunk: Buffer) => {
        const before = out
        out += chunk.toString("utf8")
        if (!before.includes("ready\n") && out.includes("ready\n") && ++ready === jobs.length) {
          // once the warm-up requests have left the server's window
          setTimeout(() => children.forEach((other) => other.stdin.write("go\n")), 1100)
        }
      })
      child.on("close", (code) => {
        if (code !== 0) return resume(Effect.fail(new Error(`worker ${index} exited with ${code}: ${out}`)))
        results[index] = JSON.parse(out.trim().split("\n").at(-1)!) as Record<string, unknown>
        if (++done === jobs.length) resume(Effect.succeed(results))
      })
      return child
    })
    return Effect.sync(() => children.forEach((child) => child.kill("SIGKILL")))
  })

/** A fresh simulator served on loopback. */
const served = (options: TmdbSimulator.Options) =>
  Effect.gen(function*() {
    const simulator = yield* TmdbSimulator.TmdbSimulator
    const baseUrl = yield* TmdbSimulator.serve()
    return { simulator, baseUrl }
  }).pipe(Effect.provide(Layer.effect(TmdbSimulator.TmdbSimulator, TmdbSimulator.make(options))))

type Call = Effect.Effect<
  void,
  TmdbError.CommonError | SessionStore.StoreError,
  TmdbCredentials.TmdbCredentials | HttpClient.HttpClient
>

const sum = (results: ReadonlyArray<Record<string, unknown>>, outcome: string) =>
  results.reduce((total, result) => total + ((result.outcomes as Record<string, number>)[outcome] ?? 0), 0)

describeRedis("many processes, one Redis", () => {
  it.live(
    `${PROCESSES} processes × ${FLOWS} logins: one budget through Redis, no 429; each alone, 429s`,
    () =>
      Effect.gen(function*() {
        const { outfile } = yield* bundle
        const redis = yield* redisServer
        const logins = (redisPort: number | undefined) =>
          Effect.gen(function*() {
            const server = yield* arrivalServer(SERVER_LIMIT)
            const baseUrl = server.baseUrl
            const job: Job = {
              command: "logins",
              baseUrl,
              flows: FLOWS,
              concurrency: CONCURRENCY,
              ...(redisPort === undefined ? {} : { redisPort })
            }
            const results = yield* runWorkers(outfile, Array.from({ length: PROCESSES }, () => job))
            // from the go to the last process done
            const seconds = Math.max(...results.map((result) => result.elapsedMs as number)) / 1000
            return { results, seconds, log: yield* server.log }
          }).pipe(Effect.scoped)

        const shared = yield* logins(redis.port)
        assert.strictEqual(sum(shared.results, "ok"), PROCESSES * FLOWS, JSON.stringify(shared.results))
        assert.strictEqual(sum(shared.results, "RateLimited"), 0)
        assert.strictEqual(shared.log.throttled, 0)
        assert.lengthOf(shared.log.arrivals, PROCESSES * (FLOWS + 5) * 3, "3 requests a login (5 to warm up)")
        assert.isAtMost(busiest(shared.log.arrivals, 1000), SERVER_LIMIT)

        const alone = yield* logins(undefined)
        const throttled = sum(alone.results, "RateLimited")
        assert.isAbove(throttled, 0, `four processes pacing alone at 40 a second overrun a limit of ${SERVER_LIMIT}`)
        const paced = PROCESSES * FLOWS * 3
        console.log(
          `many processes: ${PROCESSES} × ${FLOWS} logins, server limit ${SERVER_LIMIT}/s, pace 40/s — ` +
            `shared through Redis: 0 × 429, ${paced} requests in ${shared.seconds.toFixed(1)} s ` +
            `(${(paced / shared.seconds).toFixed(1)}/s); alone: ${throttled} of ${PROCESSES * FLOWS} logins ` +
            `failed with 429 in ${alone.seconds.toFixed(1)} s`
        )
      }),
    { timeout: 180_000 }
  )

  it.live(
    "a login saved by one process is loaded, used and deleted by another; no secret in a key",
    () =>
      Effect.gen(function*() {
        const { outfile } = yield* bundle
        const redis = yield* redisServer
        const { baseUrl, simulator } = yield* served({})
        const [saved] = yield* runWorkers(outfile, [{ command: "save", baseUrl, redisPort: redis.port }])
        assert.deepStrictEqual(saved, { saved: true })
        const [session] = yield* simulator.sessions
        assert.isDefined(session)
        const client = yield* Effect.map(Layer.build(connection(redis.port)), Context.get(Redis.Redis))
        const keys = yield* client.send<Array<string>>("KEYS", "*")
        assert.include(keys, "tmdb-effect:session")
        for (const key of keys) assert.notInclude(key, session!.session_id)
        const [used] = yield* runWorkers(outfile, [{ command: "useAndDelete", baseUrl, redisPort: redis.port }])
        assert.deepStrictEqual(used, { username: "demo", outcome: "LoggedOut", after: false })
        assert.lengthOf(yield* simulator.sessions, 0, "ended at TMDB")
      }),
    { timeout: 60_000 }
  )

  it.live(
    "Redis killed mid-run: every call succeeds or fails with a typed error, none hangs",
    () =>
      Effect.gen(function*() {
        const redis = yield* redisServer
        const timeout = "1 second"
        const layer = Layer.mergeAll(
          RedisRateLimiter.layer({ timeout }),
          RedisSessionStore.layer({ timeout })
        ).pipe(Layer.provide(connection(redis.port)))
        const calls = Effect.gen(function*() {
          const store = yield* SessionStore.SessionStore
          const login = new SessionStore.Login({
            kind: "session",
            session_id: Redacted.make("79191836ddaa0da3df76a5ffef6f07ad6ab0c641"),
            created_at: DateTime.makeUnsafe(Date.UTC(2026, 0, 1))
          })
          const storeCall: Call = Effect.asVoid(Effect.andThen(store.save(login), store.load))
          const tmdbCall: Call = Effect.asVoid(Authentication.createRequestToken())
          // every fourth call is the store's, the others TMDB's
          const call = (i: number) =>
            (i % 4 === 0 ? storeCall : tmdbCall).pipe(
              // far past any call's own bounds (a Redis timeout of 1 s): a hang
              Effect.timeoutOrElse({ duration: "15 seconds", orElse: () => Effect.fail("hung" as const) }),
              Effect.exit
            )
          // 10 at a time, so calls keep asking Redis for a turn before, during and after the kill
          return yield* Effect.forEach(Array.from({ length: 200 }, (_, i) => i), call, { concurrency: 10 })
        })
        const exits = yield* Effect.gen(function*() {
          const running = yield* Effect.forkChild(calls)
          yield* Effect.sleep("700 millis")
          yield* redis.kill
          return yield* Fiber.join(running)
        }).pipe(
          Effect.provide(layer),
          Effect.provide(TmdbConfig.layer({ rateLimit: { limit: 100, interval: "1 second" } })),
          Effect.provide(Layer.merge(TmdbSimulator.layer(), TmdbSimulator.credentials)),
          // the layers are released too: no reconnecting client keeps the test waiting
          Effect.timeoutOrElse({
            duration: "30 seconds",
            orElse: () => Effect.fail(new Error("the layers did not close"))
          })
        )
        const outcomes = exits.map((exit) =>
          Exit.match(exit, {
            onSuccess: () => "ok",
            onFailure: (cause) =>
              Option.match(Cause.findErrorOption(cause), {
                onNone: () => `not a failure: ${Cause.pretty(cause)}`,
                onSome: (error) => typeof error === "string" ? error : error._tag
              })
          })
        )
        const counts: Record<string, number> = {}
        for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1
        console.log(`Redis killed mid-run: ${JSON.stringify(counts)}`)
        assert.includeMembers(
          ["ok", "RateLimiterUnavailable", "SessionStoreError"],
          Object.keys(counts),
          JSON.stringify(counts)
        )
        assert.isAbove(counts.ok ?? 0, 0, "calls before the kill went through")
        assert.isAbove(counts.RateLimiterUnavailable ?? 0, 0, "calls after it were refused")
        for (const exit of exits) {
          if (Exit.isFailure(exit)) {
            const error = Option.getOrThrow(Cause.findErrorOption(exit.cause))
            assert.isTrue(
              typeof error !== "string" && (TmdbError.isTmdbError(error) || error._tag === "SessionStoreError")
            )
          }
        }
      }),
    { timeout: 60_000 }
  )
})
