/**
 * A real `redis-server` for the Redis suites: started on a free loopback port with no persistence
 * (no RDB, no AOF, nothing written to disk), killed when the scope closes, and the connection
 * layer a user would provide for it (`NodeRedis.layer`). Where `redis-server` is not installed
 * the suites are skipped with a notice saying how to install it — unless `REQUIRE_REDIS=1` (as
 * `.ci/run` sets), where that fails instead, so CI cannot skip them.
 */
import { NodeRedis } from "@effect/platform-node"
import { describe } from "@effect/vitest"
import { Effect, Layer, Logger } from "effect"
import type { Scope } from "effect"
import type { Redis } from "effect/persistence"
import { execFileSync, spawn } from "node:child_process"
import { freePort } from "./ports.js"

const installed = (() => {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
})()

if (!installed && process.env.REQUIRE_REDIS === "1") {
  throw new Error("REQUIRE_REDIS=1 but redis-server is not installed (apt-get install -y redis-server)")
}

/** `describe`, or a skipped one with a notice when `redis-server` is missing. */
export const describeRedis: typeof describe = installed ? describe : (((name: string, ...rest: Array<never>) => {
  console.warn(
    `[${name}] skipped: redis-server is not installed. Install it (Debian: apt-get install -y redis-server) ` +
      `to run these tests; .ci/run installs it and sets REQUIRE_REDIS=1.`
  )
  return describe.skip(name, ...rest)
}) as typeof describe)

export interface RedisServer {
  readonly port: number
  /** SIGKILL: Redis lost, as in a crash. */
  readonly kill: Effect.Effect<void>
  /** SIGSTOP: Redis alive but answering nothing, as when it is swapped out or stuck. */
  readonly pause: Effect.Effect<void>
  /** SIGCONT after {@link pause}. */
  readonly resume: Effect.Effect<void>
}

/** Starts `redis-server` on a free port of 127.0.0.1; succeeds once it accepts connections. */
export const redisServer: Effect.Effect<RedisServer, Error, Scope.Scope> = Effect.gen(function*() {
  const port = yield* freePort
  const child = yield* Effect.acquireRelease(
    Effect.sync(() =>
      spawn("redis-server", [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        "/tmp"
      ], { stdio: ["ignore", "pipe", "inherit"] })
    ),
    (child) => Effect.sync(() => void child.kill("SIGKILL"))
  )
  yield* Effect.callback<undefined, Error>((resume) => {
    let out = ""
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8")
      if (out.includes("Ready to accept connections")) resume(Effect.undefined)
    })
    child.once("exit", (code) => resume(Effect.fail(new Error(`redis-server exited with ${code}: ${out}`))))
  }).pipe(
    Effect.timeoutOrElse({
      duration: "10 seconds",
      orElse: () => Effect.fail(new Error("redis-server did not start"))
    })
  )
  const signal = (name: NodeJS.Signals) => Effect.sync(() => void child.kill(name))
  return { port, kill: signal("SIGKILL"), pause: signal("SIGSTOP"), resume: signal("SIGCONT") }
})

/**
 * The connection a user provides: `@effect/platform-node`'s node-redis layer on 127.0.0.1:`port`.
 * Platform-node logs each of its client's errors as a warning (each reconnect to a Redis a test
 * killed): built without a logger, so that those logs stay out of the test's output.
 */
export const connection = (
  port: number,
  options: Omit<NonNullable<Parameters<typeof NodeRedis.layer>[0]>, "url"> = {}
): Layer.Layer<Redis.Redis, Redis.RedisError> =>
  NodeRedis.layer({ url: `redis://127.0.0.1:${port}`, ...options }).pipe(Layer.provide(Logger.layer([])))
