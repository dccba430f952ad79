/**
 * A real `redis-server` for the Redis suites: started on a free loopback port with no persistence
 * (no RDB, no AOF, nothing written to disk), killed when the scope closes. Where `redis-server` is
 * not installed the suites are skipped with a notice saying how to install it — unless
 * `REQUIRE_REDIS=1` (as `.ci/run` sets), where that fails instead, so CI cannot skip them.
 */
import { describe } from "@effect/vitest"
import { Effect } from "effect"
import type { Scope } from "effect"
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

/** Starts `redis-server` on a free port of 127.0.0.1; resolves once it accepts connections. */
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
  yield* Effect.async<unknown, Error>((resume) => {
    let out = ""
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8")
      if (out.includes("Ready to accept connections")) resume(Effect.void)
    })
    child.once("exit", (code) => resume(Effect.fail(new Error(`redis-server exited with ${code}: ${out}`))))
  }).pipe(Effect.timeoutFail({ duration: "10 seconds", onTimeout: () => new Error("redis-server did not start") }))
  const signal = (name: NodeJS.Signals) => Effect.sync(() => void child.kill(name))
  return { port, kill: signal("SIGKILL"), pause: signal("SIGSTOP"), resume: signal("SIGCONT") }
})
