/**
 * What `--help` and `--version` print, and what a usage error does not: effect/cli's help
 * (its formatter, with colour only on a terminal and never with NO_COLOR), followed by the exit
 * codes from the one table (src/ExitCode.ts). A usage error prints no help: the CLI reports it
 * itself, as one line or the one JSON object.
 */
import * as CliOutput from "effect/cli/CliOutput"
import type * as HelpDoc from "effect/cli/HelpDoc"
import * as Effect from "effect/Effect"
import { exitCodes, meanings, tagsOf } from "./ExitCode.js"
import { write } from "./Output.js"

/** The program's name, as users type it. */
export const name = "tmdb-auth"

/** package.json's `version`, put in by the build (bundle.ts's `define`); unbuilt sources have none. */
declare const TMDB_AUTH_VERSION: string | undefined

/** The version `--version` prints: the package's, as built; `"0.0.0-dev"` run from the sources. */
export const version = typeof TMDB_AUTH_VERSION === "string" ? TMDB_AUTH_VERSION : "0.0.0-dev"

/** Colour is for terminals, and off when the user sets `NO_COLOR` (no-color.org). */
const colours = (): boolean => process.stdout.isTTY === true && (process.env.NO_COLOR ?? "") === ""

/** The EXIT CODES section: each code, its meaning, and the error tags that end with it. */
export const exitCodesSection = (bold: (text: string) => string): string =>
  [
    bold("EXIT CODES"),
    ...exitCodes.flatMap((code) => {
      const tags = tagsOf(code)
      return [
        `  ${String(code).padStart(3)}  ${meanings[code]}`,
        ...(tags.length === 0 ? [] : [`       ${tags.join(", ")}`])
      ]
    })
  ].join("\n")

/** A command's help: effect/cli's, then the exit codes. */
export const render = (doc: HelpDoc.HelpDoc): string => {
  const coloured = colours()
  const formatter = CliOutput.defaultFormatter({ colors: coloured })
  const bold = coloured ? (text: string) => `\u001b[1m${text}\u001b[0m` : (text: string) => text
  return `${formatter.formatHelpDoc(doc).trimEnd()}\n\n${exitCodesSection(bold)}\n`
}

/** Help and the version on stdout; usage errors left to the CLI's one report. */
export const presenter: CliOutput.Presenter = {
  present: (event) =>
    event._tag === "Help"
      ? write(process.stdout, render(event.helpDoc))
      : event._tag === "Version"
      ? write(process.stdout, `${version}\n`)
      : Effect.void
}
