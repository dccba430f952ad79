/**
 * `bench/arrivalServer.mjs` (1.x's, plain Node: shared by both editions) in a process of its own for the scope — a fake TMDB that logs when
 * each request arrives and throttles past its sliding-window limit, as TMDB counts — and a
 * process that keeps one core busy, as a loaded machine would.
 */
import { Effect } from "effect"
import type { Scope } from "effect"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

const script = fileURLToPath(new URL("../../../effect3/bench/arrivalServer.mjs", import.meta.url))

export interface ArrivalLog {
  /** Epoch millis, in the order the server saw them. */
  readonly arrivals: ReadonlyArray<number>
  readonly throttled: number
}

export interface ArrivalServer {
  readonly baseUrl: string
  /** What arrived since the server started or the last look. */
  readonly log: Effect.Effect<ArrivalLog>
}

/** The most arrivals in any window (t - interval, t]. */
export const busiest = (arrivals: ReadonlyArray<number>, interval: number): number => {
  let most = 0
  for (let i = 0, j = 0; i < arrivals.length; i++) {
    while (arrivals[j]! <= arrivals[i]! - interval) j++
    most = Math.max(most, i - j + 1)
  }
  return most
}

/** Starts the server allowing `limit` arrivals in any sliding `interval` ms. */
export const arrivalServer = (limit: number, interval = 1000): Effect.Effect<ArrivalServer, Error, Scope.Scope> =>
  Effect.gen(function*() {
    const child = yield* Effect.acquireRelease(
      Effect.sync(() => spawn(process.execPath, [script, String(limit), String(interval)], { stdio: "pipe" })),
      (child) => Effect.sync(() => void child.kill("SIGKILL"))
    )
    const { port } = yield* Effect.callback<{ readonly port: number }, Error>((resume) => {
      let out = ""
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8")
        if (out.includes("\n")) resume(Effect.succeed(JSON.parse(out) as { readonly port: number }))
      })
      child.once("exit", (code) => resume(Effect.fail(new Error(`the arrival server exited with ${code}`))))
    })
    const baseUrl = `http://127.0.0.1:${port}`
    return {
      baseUrl,
      log: Effect.promise(() => fetch(`${baseUrl}/arrivals`).then((r) => r.json() as Promise<ArrivalLog>))
    }
  })

/** A process spinning on one core for the scope. */
export const busyCore: Effect.Effect<void, never, Scope.Scope> = Effect.asVoid(
  Effect.acquireRelease(
    Effect.sync(() => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" })),
    (child) => Effect.sync(() => void child.kill("SIGKILL"))
  )
)
