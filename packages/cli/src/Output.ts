/**
 * Everything the CLI itself writes goes through here, and through {@link printable}: the result
 * on stdout (a line, or with `--json` one object), messages and warnings on stderr. Prompts are
 * the terminal's (src/Terminal.ts); help is effect/cli's (src/Help.ts); neither holds server text.
 */
import * as Effect from "effect/Effect"
import { printable } from "./printable.js"

/** One line: made printable first (a `\r` or `\n` a server sent is replaced, never a line break), then runs of spaces as one. */
const oneLine = (text: string): string => printable(text).replace(/ {2,}/g, " ").trim()

/** `value` with every string in it made printable, at any depth. */
const printableDeep = (value: unknown): unknown =>
  typeof value === "string"
    ? printable(value)
    : Array.isArray(value)
    ? value.map(printableDeep)
    : typeof value === "object" && value !== null
    ? Object.fromEntries(Object.entries(value).map(([key, field]) => [key, printableDeep(field)]))
    : value

/**
 * Writes `text` and waits until the stream took it, so that the process can exit right after
 * (src/runMain.ts). A closed terminal (SIGHUP) or pipe must not turn the last word into a crash.
 */
export const write = (stream: NodeJS.WriteStream, text: string): Effect.Effect<void> =>
  Effect.promise(() =>
    new Promise<void>((resolve) => {
      try {
        stream.write(text, () => resolve())
      } catch {
        resolve()
      }
    })
  )

/** One line on stdout: the result. */
export const result = (line: string): Effect.Effect<void> => write(process.stdout, `${oneLine(line)}\n`)

/** One JSON object on one line of stdout: the result with `--json`. */
export const json = (object: Readonly<Record<string, unknown>>): Effect.Effect<void> =>
  write(process.stdout, `${JSON.stringify(printableDeep(object))}\n`)

/** One line on stderr, `tmdb-auth: …` (a failure or a warning), after a line break when `fresh`. */
export const message = (line: string, options?: { readonly fresh?: boolean | undefined }): Effect.Effect<void> =>
  write(process.stderr, `${options?.fresh === true ? "\n" : ""}tmdb-auth: ${oneLine(line)}\n`)

/** Lines on stderr for the person at the terminal (the approval URL): each made printable. */
export const notice = (lines: ReadonlyArray<string>): Effect.Effect<void> =>
  write(process.stderr, lines.map((line) => `${printable(line)}\n`).join(""))
