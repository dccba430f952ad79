/**
 * Runs the CLI's program as the process: Effect's `Runtime.makeRunMain` with the signals a CLI
 * must answer. @effect/platform-node's `NodeRuntime.runMain` interrupts on SIGINT and SIGTERM;
 * this does on SIGHUP too (the terminal was closed), so each ends the same way: the program's
 * interruption report (one line, or the one JSON object) and exit 130.
 */
import type * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Runtime from "effect/Runtime"
import { ExitCode } from "./ExitCode.js"

const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const

const runMain = Runtime.makeRunMain(({ fiber, teardown }) => {
  // A closed pipe or terminal fails a write later, as an "error" event (EPIPE, EIO, ENOSPC): the
  // write's callback has its answer already (src/Output.ts), and the run ends as it would have.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined)
  const interrupt = () => fiber.interruptUnsafe(fiber.id)
  for (const signal of signals) process.on(signal, interrupt)
  fiber.addObserver((exit) => {
    for (const signal of signals) process.removeListener(signal, interrupt)
    // Everything was written (each write waits for its callback): nothing left to wait for, such
    // as a keep-alive socket or a stdin listener.
    teardown(exit, (code) => process.exit(code))
  })
})

/** Runs `program`, which succeeds with the exit code (it reports every failure itself). */
export const run = (program: Effect.Effect<number>): void =>
  runMain(program, {
    disableErrorReporting: true,
    teardown: (exit, onExit) =>
      onExit(
        Exit.isSuccess(exit) && typeof exit.value === "number"
          ? exit.value
          : Exit.hasInterrupts(exit)
          ? ExitCode.interrupted
          : ExitCode.unexpected
      )
  })
