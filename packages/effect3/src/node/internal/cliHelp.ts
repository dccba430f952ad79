/**
 * `tmdb-auth --help`: a USAGE line per command with the program's name, the options from
 * @effect/cli, and the exit codes and examples, which @effect/cli's own help has no place for.
 */
import * as CliConfig from "@effect/cli/CliConfig"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Span from "@effect/cli/HelpDoc/Span"
import * as Usage from "@effect/cli/Usage"
import * as Array from "effect/Array"

/** The program's name, as users type it. */
export const name = "tmdb-auth"

/** package.json's `version`, put in by the build (tsup's `define`); unbuilt sources have none. */
declare const TMDB_AUTH_VERSION: string | undefined

/** The version `--version` prints: the package's, as built; `"0.0.0-dev"` run from the sources (tsx). */
export const version = typeof TMDB_AUTH_VERSION === "string" ? TMDB_AUTH_VERSION : "0.0.0-dev"

/** One meaning per exit code; the CLI guide (docs/cli.md) says the same at more length. */
export const exitCodes = [
  [0, "done (also --help, and logout with nothing to end)"],
  [1, "unexpected: TMDB answered something it does not document, or a bug"],
  [
    2,
    "bad arguments or settings: a flag or value that does not parse, a missing or malformed " +
    "credential or input (nothing to prompt with when stdin is not a terminal), --v4 with an api_key; " +
    "no request was sent"
  ],
  [3, "refused: wrong key or password, account disabled or unverified, approval denied or not given in time"],
  [4, "not logged in: nothing stored, expired, or TMDB no longer accepts the stored session"],
  [5, "TMDB unreachable or unavailable: network failure, time-out, 5xx, rate limited"],
  [6, "local problem: the session file is unsafe, corrupted or cannot be written; the callback port is taken"],
  [130, "interrupted (Ctrl-C): nothing was half-written"]
] as const

/** Examples per command; the root's help shows them all. */
export const examples: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  validate: [["TMDB_BEARER_TOKEN=eyJ… tmdb-auth validate", "check the credentials"]],
  guest: [["tmdb-auth guest --json", "a guest session, as JSON"]],
  login: [
    ["tmdb-auth login", "approve in the browser (5 minutes to do it)"],
    ["tmdb-auth login --no-open --timeout 10m", "print the approval URL only; wait 10 minutes"],
    ["tmdb-auth login --password --username jo", "prompt for the password"],
    ["pass show tmdb | tmdb-auth login --password-stdin --username jo", "the password from a pipe"]
  ],
  whoami: [["tmdb-auth whoami --json | jq -r .username", "who is logged in, for a script"]],
  logout: [["tmdb-auth logout", "end the session at TMDB and forget it here"]]
}

/** The help's options list only what the command takes; -h/--help and --version are noted once. */
const config = CliConfig.make({ showBuiltIns: false })

const usageLines = (entry: Entry) =>
  Array.map(
    Usage.enumerate(entry.usage(), config),
    (span) => HelpDoc.p(Span.concat(Span.text(`$ ${name} `), span))
  )

const section = (title: string, docs: ReadonlyArray<HelpDoc.HelpDoc>) => HelpDoc.blocks([HelpDoc.h1(title), ...docs])

const examplesOf = (names: ReadonlyArray<string>) =>
  section(
    "EXAMPLES",
    names.flatMap((command) => (examples[command] ?? []).map(([line, what]) => HelpDoc.p(`$ ${line}    # ${what}`)))
  )

const exitCodesDoc = section(
  "EXIT CODES",
  exitCodes.map(([code, meaning]) => HelpDoc.p(`${String(code).padStart(3)}  ${meaning}`))
)

/** A command as the help shows it. */
export interface Entry {
  readonly name: string
  readonly description: string
  readonly usage: () => Usage.Usage
  readonly options: () => HelpDoc.HelpDoc
}

/** The help's view of `command`. */
export const entry = <Name extends string, R, E, A>(
  name: Name,
  description: string,
  command: Command.Command<Name, R, E, A>
): Entry => ({
  name,
  description,
  usage: () => Command.getUsage(command),
  options: () => Command.getHelp(command, config)
})

/** The help for `entry`, or for the whole program (every command in `entries`) when it is `undefined`. */
export const helpFor = (
  entries: ReadonlyArray<Entry>,
  description: string,
  entry: Entry | undefined
): string => {
  const header = HelpDoc.p(`${name} ${version} -- ${description}`)
  const width = Math.max(...entries.map((e) => e.name.length))
  const doc = entry === undefined
    ? HelpDoc.blocks([
      header,
      section("USAGE", [...entries.flatMap(usageLines), HelpDoc.p(`$ ${name} <command> --help`)]),
      section("COMMANDS", entries.map((e) => HelpDoc.p(`  ${e.name.padEnd(width)}  ${e.description}`))),
      section("OPTIONS", [
        HelpDoc.p("-h, --help  this help (after a command: that command's)"),
        HelpDoc.p("--version  the version")
      ]),
      exitCodesDoc,
      examplesOf(entries.map((e) => e.name))
    ])
    : HelpDoc.blocks([
      header,
      section("USAGE", usageLines(entry)),
      entry.options(),
      exitCodesDoc,
      examplesOf([entry.name])
    ])
  return HelpDoc.toAnsiText(doc)
}
