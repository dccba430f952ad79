/**
 * The browser example, served with the TMDB simulator until Ctrl-C:
 *
 *   npm run example:browser          # PORT=8790 by default
 *
 * The simulator's approval page asks "Approve" or "Deny" (any user name of its accounts, or
 * empty for demo).
 */
import { Console, Effect } from "effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { serveExample } from "./server.js"

const program = Effect.gen(function*() {
  const { pageUrl, simulatorUrl } = yield* serveExample({ port: Number(process.env.PORT ?? 8790) })
  yield* Console.log(`TMDB simulator at ${simulatorUrl}`)
  yield* Console.log(`Open ${pageUrl} in a browser (Ctrl-C to stop)`)
  return yield* Effect.never
}).pipe(Effect.scoped, Effect.provide(TmdbSimulator.layer()))

const fiber = Effect.runFork(program)
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => Effect.runFork(fiber.interruptAsFork(fiber.id())))
}
fiber.addObserver((exit) => {
  if (exit._tag === "Failure" && !exit.cause._tag.startsWith("Interrupt")) console.error(exit.cause)
})
