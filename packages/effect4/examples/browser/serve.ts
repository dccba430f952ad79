/**
 * The browser example, served with the TMDB simulator until Ctrl-C (from packages/effect4):
 *
 *   npm run example:browser                    # PORT=8790 by default
 *
 * The simulator's approval page asks "Approve" or "Deny" (any user name of its accounts, or
 * empty for demo).
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Console, Effect, Exit } from "effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { serveExample } from "./server.js"

const port = Number(process.env["PORT"] ?? 8790)

const program = Effect.gen(function*() {
  const { pageUrl, simulatorUrl } = yield* serveExample({ port })
  yield* Console.log(`TMDB simulator at ${simulatorUrl}`)
  yield* Console.log(`Open ${pageUrl} in a browser (Ctrl-C to stop)`)
  return yield* Effect.never
}).pipe(
  Effect.scoped,
  Effect.provide(TmdbSimulator.layer()),
  // A port in use (or not ours to take) is one line, not a stack trace.
  Effect.tapError(({ cause }) =>
    Console.error(
      `Cannot serve the page on 127.0.0.1:${port}: ${cause instanceof Error ? cause.message : String(cause)}` +
        " (set PORT to another port)"
    )
  ),
  Effect.tapCause((cause) => Cause.hasDies(cause) ? Console.error(Cause.pretty(cause)) : Effect.void),
  Effect.onInterrupt(() => Console.error("Browser example stopped."))
)

// Ctrl-C interrupts the program (the servers close) and exits 130, as shells expect; a failure,
// reported above, exits 1.
NodeRuntime.runMain(program, {
  disableErrorReporting: true,
  teardown: (exit, onExit) => onExit(Exit.isSuccess(exit) ? 0 : Cause.hasInterruptsOnly(exit.cause) ? 130 : 1)
})
