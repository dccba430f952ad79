/**
 * Where the `tmdb-auth` CLI talks to a person: prompts on stderr (stdout carries only the
 * result, so `--json` output and pipes stay clean) and text without ANSI codes where they would
 * be read as garbage.
 */
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as Terminal from "@effect/platform/Terminal"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { stripVTControlCharacters } from "node:util"

/**
 * @effect/platform-node's terminal, with its output on stderr. It reads keys from stdin;
 * `isTTY` says whether stdin is a terminal, i.e. whether a prompt could be answered at all.
 */
export const stderrTerminal: Layer.Layer<Terminal.Terminal> = Layer.scoped(
  Terminal.Terminal,
  Effect.map(NodeTerminal.make(), (terminal) =>
    Terminal.Terminal.of({
      ...terminal,
      columns: Effect.sync(() => process.stderr.columns ?? 0),
      rows: Effect.sync(() => process.stderr.rows ?? 0),
      isTTY: Effect.sync(() => process.stdin.isTTY === true),
      display: (text) =>
        Effect.async<undefined>((resume) => {
          process.stderr.write(text, () => resume(Effect.succeed(undefined)))
        }).pipe(Effect.asVoid, Effect.uninterruptible)
    }))
)

/** Colour is for terminals, and off when the user sets `NO_COLOR` (no-color.org). */
const colours = (stream: NodeJS.WriteStream): boolean => stream.isTTY === true && (process.env.NO_COLOR ?? "") === ""

const plain = (args: ReadonlyArray<unknown>) =>
  args.map((arg) => typeof arg === "string" ? stripVTControlCharacters(arg) : arg)

/**
 * The `Console` @effect/cli runs with. Its help and messages are rendered with ANSI codes
 * always; they are removed where stdout is not a terminal or `NO_COLOR` is set. It prints a
 * usage error with `Console.error` before failing with it: that is dropped, as the CLI reports
 * every failure itself, once, as one line or as JSON.
 */
export const withCliConsole = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(Effect.console, (console) =>
    Effect.withConsole(effect, {
      ...console,
      log: (...args) => console.log(...(colours(process.stdout) ? args : plain(args))),
      error: () => Effect.void
    }))
