/**
 * Where the CLI asks a person: prompts drawn on stderr (stdout carries only the result, so
 * `--json` output and pipes stay clean), keys read from stdin, and never a prompt without a
 * terminal to answer it.
 */
import type * as Prompt from "effect/cli/Prompt"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import * as Terminal from "effect/Terminal"
import type { MissingInput } from "./errors.js"
import { write } from "./Output.js"

/**
 * @effect/platform-node's terminal, drawing on stderr. Its keyboard (readline and the streams
 * under it) is loaded the first time a prompt reads a key: a command that asks nothing never
 * loads it.
 */
export const layer: Layer.Layer<Terminal.Terminal> = Layer.effect(
  Terminal.Terminal,
  Effect.gen(function*() {
    const scope = yield* Effect.scope
    const keyboard = yield* Effect.cached(
      Effect.promise(() => import("@effect/platform-node/NodeTerminal")).pipe(
        Effect.flatMap((NodeTerminal) => NodeTerminal.make()),
        Scope.provide(scope)
      )
    )
    return Terminal.make({
      columns: Effect.sync(() => process.stderr.columns ?? 0),
      rows: Effect.sync(() => process.stderr.rows ?? 0),
      display: (text) => Effect.uninterruptible(write(process.stderr, text)),
      size: Effect.flatMap(keyboard, (terminal) => terminal.size),
      readInput: Effect.flatMap(keyboard, (terminal) => terminal.readInput),
      readLine: Effect.flatMap(keyboard, (terminal) => terminal.readLine)
    })
  })
)

/** Asks on the terminal, or, when stdin is not one, fails at once saying how else to give it. */
export const ask = <A>(
  prompt: Prompt.Prompt<A>,
  missing: MissingInput
): Effect.Effect<A, Terminal.QuitError | MissingInput, Prompt.Environment> =>
  Effect.suspend((): Effect.Effect<A, Terminal.QuitError | MissingInput, Prompt.Environment> =>
    process.stdin.isTTY ? prompt : Effect.fail(missing)
  )
