/**
 * Serves the TMDB simulator on 127.0.0.1 until Ctrl-C, for trying your own code or the
 * `tmdb-auth` CLI (its own package, on Node 22.19 or later) against it by hand:
 *
 *   npm run simulator            # PORT=8788 by default
 *   TMDB_API_KEY=… npx tmdb-auth validate --base-url http://127.0.0.1:8788
 *
 * Approval pages approve every request token as the default account (demo / demo-password)
 * when opened directly (by the CLI, a link on the same site or the address bar); a browser
 * sent there by a page on another site (e.g. your app on http://localhost:5173) sees the form:
 * click Approve.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Console, Effect, Exit } from "effect"
import { TmdbSimulator } from "tmdb-effect/testing"

const port = Number(process.env.PORT ?? 8788)

const program = Effect.gen(function*() {
  const simulator = yield* TmdbSimulator.TmdbSimulator
  yield* simulator.scriptApproval({ decision: "approve", times: "always" })
  const baseUrl = yield* TmdbSimulator.serve({ port })
  yield* Console.log(`TMDB simulator at ${baseUrl} (Ctrl-C to stop)`)
  yield* Console.log(`  TMDB_API_KEY=${TmdbSimulator.apiKey}`)
  yield* Console.log(`  TMDB_BEARER_TOKEN=${TmdbSimulator.bearerToken}`)
  yield* Console.log(
    `  account: ${TmdbSimulator.defaultAccount.username} / ${TmdbSimulator.defaultAccount.password}; approval pages approve as it (from another site: click Approve)`
  )
  return yield* Effect.never
}).pipe(
  Effect.scoped,
  Effect.provide(TmdbSimulator.layer()),
  Effect.onInterrupt(() => Console.error("TMDB simulator stopped."))
)

// Ctrl-C interrupts the program (the server closes) and exits 130, as shells expect; any other
// failure is logged and exits 1.
NodeRuntime.runMain(program, {
  teardown: (exit, onExit) => onExit(Exit.isSuccess(exit) ? 0 : Cause.isInterruptedOnly(exit.cause) ? 130 : 1)
})
