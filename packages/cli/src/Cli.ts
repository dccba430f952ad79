/**
 * The `tmdb-auth` command line: its commands and flags (effect/cli), and how every run ends —
 * the result, or one report of what went wrong (a line on stderr, or with `--json` the one JSON
 * object on stdout) and the exit code the one table gives (src/ExitCode.ts). The commands'
 * programs (src/commands/) are loaded when their command runs, so `--help` or `whoami` with
 * nothing stored never evaluates the HTTP client or the login flows.
 */
import * as NodeChildProcessSpawner from "@effect/platform-node/NodeChildProcessSpawner"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeStdio from "@effect/platform-node/NodeStdio"
import * as CliConfig from "effect/cli/CliConfig"
import * as CliError from "effect/cli/CliError"
import * as CliOutput from "effect/cli/CliOutput"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as GlobalFlag from "effect/cli/GlobalFlag"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Terminal from "effect/Terminal"
import type * as Guest from "./commands/guest.js"
import type * as Login from "./commands/login.js"
import type * as Logout from "./commands/logout.js"
import type * as Validate from "./commands/validate.js"
import type * as Whoami from "./commands/whoami.js"
import type { FailureTag } from "./ExitCode.js"
import { ExitCode, exitCodeOf } from "./ExitCode.js"
import * as Help from "./Help.js"
import * as Output from "./Output.js"
import * as TerminalLayer from "./Terminal.js"
import { parseTimeout, timeoutSyntax } from "./timeout.js"

/** Every error a command can fail with (a prompt's Ctrl-C is an interruption, not one of them). */
export type CommandError = Exclude<
  | Effect.Error<ReturnType<typeof Validate.run>>
  | Effect.Error<ReturnType<typeof Guest.run>>
  | Effect.Error<ReturnType<typeof Login.run>>
  | Effect.Error<ReturnType<typeof Whoami.run>>
  | Effect.Error<ReturnType<typeof Logout.run>>,
  Terminal.QuitError
>

// ---------------------------------------------------------------------------------------------
// Flags and commands

/** The flags every command takes, before or after its name (`tmdb-auth --json whoami`). */
const common = {
  json: Flag.Boolean("json").pipe(
    Flag.withDefault(false),
    Flag.withDescription("Print exactly one JSON object on stdout, whatever happens")
  ),
  baseUrl: Flag.String("base-url").pipe(
    Flag.withMetavar("url"),
    Flag.withDescription("TMDB API origin (env TMDB_BASE_URL); default https://api.themoviedb.org"),
    Flag.optional
  ),
  webUrl: Flag.String("web-url").pipe(
    Flag.withMetavar("url"),
    Flag.withDescription(
      "TMDB website origin for approval pages (env TMDB_WEB_URL); default: the base URL's, api. → www."
    ),
    Flag.optional
  ),
  store: Flag.String("store").pipe(
    Flag.withMetavar("path"),
    Flag.withDescription("Session file (env TMDB_AUTH_STORE); default $XDG_CONFIG_HOME/tmdb-auth/session.json"),
    Flag.optional
  )
}

const description = "Log in to TMDB and keep the session"

/** The program, with the flags every command shares; its subcommands read them from it. */
const base = Command.make(Help.name).pipe(Command.withSharedFlags(common), Command.withDescription(description))

/** Prints a command's result: its line, or with `--json` its one object. */
const print = (json: boolean, printed: { readonly text: string; readonly json: Readonly<Record<string, unknown>> }) =>
  json ? Output.json({ ok: true, ...printed.json, exitCode: ExitCode.ok }) : Output.result(printed.text)

const validate = Command.make("validate", {}, () =>
  Effect.gen(function*() {
    const options = yield* base
    const { run } = yield* Effect.promise(() => import("./commands/validate.js"))
    yield* print(options.json, yield* run(options))
  })).pipe(
    Command.withDescription("Check that TMDB accepts TMDB_BEARER_TOKEN / TMDB_API_KEY"),
    Command.withExamples([{
      command: "TMDB_BEARER_TOKEN=eyJ… tmdb-auth validate",
      description: "check the credentials"
    }])
  )

const guest = Command.make("guest", {}, () =>
  Effect.gen(function*() {
    const options = yield* base
    const { run } = yield* Effect.promise(() => import("./commands/guest.js"))
    yield* print(options.json, yield* run(options))
  })).pipe(
    Command.withDescription("Create a guest session and keep it"),
    Command.withExamples([{ command: "tmdb-auth guest --json", description: "a guest session, as JSON" }])
  )

const login = Command.make("login", {
  password: Flag.Boolean("password").pipe(
    Flag.withDefault(false),
    Flag.withDescription("Log in with username and password (TMDB_PASSWORD, else a prompt that shows nothing)")
  ),
  passwordStdin: Flag.Boolean("password-stdin").pipe(
    Flag.withDefault(false),
    Flag.withDescription("As --password, reading the password from stdin (a pipe or a file)")
  ),
  username: Flag.String("username").pipe(
    Flag.withMetavar("name"),
    Flag.withDescription("The TMDB username for --password (env TMDB_USERNAME, else a prompt)"),
    Flag.optional
  ),
  v4: Flag.Boolean("v4").pipe(
    Flag.withDefault(false),
    Flag.withDescription("Browser login for a v4 user access token (needs TMDB_BEARER_TOKEN)")
  ),
  noOpen: Flag.Boolean("no-open").pipe(
    Flag.withDefault(false),
    Flag.withDescription("Only print the approval URL; do not open a browser")
  ),
  timeout: Flag.String("timeout").pipe(
    Flag.withMetavar("duration"),
    Flag.withDescription(
      "How long to wait for the approval in the browser: 30s, 10m, 1h (bare numbers are seconds); default 5m"
    ),
    Flag.withDefault("5m"),
    Flag.filterMap(parseTimeout, () => timeoutSyntax)
  )
}, (flags) =>
  Effect.gen(function*() {
    const options = yield* base
    const { run } = yield* Effect.promise(() => import("./commands/login.js"))
    yield* print(options.json, yield* run({ ...options, ...flags }))
  })).pipe(
    Command.withDescription("Log in (in the browser by default) and keep the session"),
    Command.withExamples([
      { command: "tmdb-auth login", description: "approve in the browser (5 minutes to do it)" },
      {
        command: "tmdb-auth login --no-open --timeout 10m",
        description: "print the approval URL only; wait 10 minutes"
      },
      { command: "tmdb-auth login --password --username jo", description: "prompt for the password" },
      {
        command: "pass show tmdb | tmdb-auth login --password-stdin --username jo",
        description: "the password from a pipe"
      }
    ])
  )

const whoami = Command.make("whoami", {}, () =>
  Effect.gen(function*() {
    const options = yield* base
    const { run } = yield* Effect.promise(() => import("./commands/whoami.js"))
    yield* print(options.json, yield* run(options))
  })).pipe(
    Command.withDescription("Show who the stored session belongs to"),
    Command.withExamples([
      { command: "tmdb-auth whoami --json | jq -r .username", description: "who is logged in, for a script" }
    ])
  )

const logout = Command.make("logout", {}, () =>
  Effect.gen(function*() {
    const options = yield* base
    const { run } = yield* Effect.promise(() => import("./commands/logout.js"))
    yield* print(options.json, yield* run(options))
  })).pipe(
    Command.withDescription("Delete the session at TMDB and the stored copy"),
    Command.withExamples([{ command: "tmdb-auth logout", description: "end the session at TMDB and forget it here" }])
  )

/** The whole program. */
const commands = [validate, guest, login, whoami, logout] as const

export const cli = base.pipe(Command.withSubcommands(commands))

/**
 * `--json` with no command, and no `--help` or `--version`: effect/cli would show the help and
 * succeed, which is no JSON object at all.
 */
const noCommand = (args: ReadonlyArray<string>): boolean =>
  !args.some((arg) => commands.some((command) => command.name === arg)) &&
  !args.some((arg) => ["--help", "-h", "--version", "-v"].includes(arg))

// ---------------------------------------------------------------------------------------------
// How a run ends

/** How one run failed, as the last line on stderr or the one JSON object on stdout says it. */
export interface Failure {
  readonly error: FailureTag
  readonly message: string
  readonly exitCode: ExitCode
}

const interrupted: Failure = { error: "Interrupted", message: "Interrupted", exitCode: ExitCode.interrupted }

/**
 * `--password` and `--password-stdin` take no value: a word given with one (`--password=…`, or
 * anywhere after it) may be the password itself, so a usage error of such a command line quotes
 * none of it.
 */
const mayHoldPassword = (args: ReadonlyArray<string>): boolean =>
  args.some((arg) => /^--password(-stdin)?(=|$)/.test(arg))

const withheldArguments = "the arguments do not parse <withheld: they include --password, and a word among " +
  "them may be the password; give it with TMDB_PASSWORD, --password-stdin or at the prompt>"

/** Where a user of the CLI gives the `TmdbConfig` settings it reads, for an `InvalidConfig`. */
const settingSource: Readonly<Record<string, string>> = {
  baseUrl: "--base-url or TMDB_BASE_URL",
  webUrl: "--web-url or TMDB_WEB_URL"
}

/**
 * An error's message. A `ConfigError`'s is its cause's `toString()` ("SchemaError(No TMDB
 * credentials: …)"): the cause's own message is the one to show.
 */
const messageOf = (error: object): string | undefined => {
  const cause = "_tag" in error && error._tag === "ConfigError" && "cause" in error ? error.cause : undefined
  const source = typeof cause === "object" && cause !== null ? cause : error
  return "message" in source && typeof source.message === "string" ? source.message : undefined
}

const isTag = (tag: string): tag is FailureTag => Object.hasOwn(exitCodeOf, tag)

/** What a failure of a command, or of parsing its arguments (`args`), tells the user. */
const failureOf = (error: unknown, args: ReadonlyArray<string>): Failure => {
  if (CliError.isCliError(error)) {
    const errors = error._tag === "ShowHelp" ? error.errors : [error]
    const text = mayHoldPassword(args) ? withheldArguments : errors.map((e) => e.message).join("; ")
    const message = `${text} (${Help.name} --help lists the commands and options)`
    return { error: "InvalidArguments", message, exitCode: ExitCode.usage }
  }
  if (typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string") {
    const tag = error._tag
    const text = messageOf(error) ?? tag
    const source = tag === "InvalidConfig" && "setting" in error && typeof error.setting === "string"
      ? settingSource[error.setting]
      : undefined
    const message = source === undefined ? text : `${text} (set with ${source})`
    return isTag(tag)
      ? { error: tag, message, exitCode: exitCodeOf[tag] }
      : { error: "Unexpected", message: `unexpected failure: ${message}`, exitCode: ExitCode.unexpected }
  }
  return { error: "Unexpected", message: "unexpected failure", exitCode: ExitCode.unexpected }
}

/** The last word of a failed run: one line on stderr, or with `--json` the one JSON object on stdout. */
const report = (json: boolean, failure: Failure): Effect.Effect<ExitCode> =>
  (json
    ? Output.json({ ok: false, ...failure })
    // after Ctrl-C the cursor is still on a prompt's line, or on the terminal's "^C"
    : Output.message(failure.message, { fresh: failure === interrupted && process.stderr.isTTY === true })).pipe(
      Effect.as(failure.exitCode)
    )

/** Help is shown (no arguments at all, or a command group without its command): not a failure. */
const isHelpShown = (error: unknown): boolean =>
  CliError.isCliError(error) && error._tag === "ShowHelp" && error.errors.length === 0

/**
 * What the CLI runs with: the Node services effect/cli asks for (NodeServices' own, but its
 * terminal: ours draws prompts on stderr and loads the keyboard only for a prompt), help on
 * stdout, only --help and --version built in.
 */
const services = Layer.mergeAll(
  Layer.provideMerge(NodeChildProcessSpawner.layer, Layer.merge(NodeFileSystem.layer, NodePath.layer)),
  NodeStdio.layer,
  TerminalLayer.layer,
  Layer.succeed(CliConfig.CliConfig)(CliConfig.make({ builtIns: [GlobalFlag.Help, GlobalFlag.Version] })),
  CliOutput.layerPresenter(Help.presenter)
)

/**
 * Runs the CLI on `args` (the words after the program's name) and succeeds with the exit code.
 * `--json` is looked for before parsing, so that a command line that does not parse is
 * reported as JSON too.
 */
export const run = (args: ReadonlyArray<string>): Effect.Effect<ExitCode> => {
  const json = args.includes("--json")
  if (json && noCommand(args)) {
    return report(true, {
      error: "InvalidArguments",
      message: `no command given (${Help.name} --help lists the commands and options)`,
      exitCode: ExitCode.usage
    })
  }
  return Command.runWith(cli, { version: Help.version })(args).pipe(
    Effect.as<ExitCode>(ExitCode.ok),
    Effect.catch((error) => isHelpShown(error) ? Effect.succeed(ExitCode.ok) : report(json, failureOf(error, args))),
    Effect.catchDefect((defect) =>
      report(json, {
        error: "Unexpected",
        message: `unexpected failure: ${defect instanceof Error ? defect.message : "unknown"}`,
        exitCode: ExitCode.unexpected
      })
    ),
    Effect.onInterrupt(() => Effect.asVoid(report(json, interrupted))),
    Effect.provide(services)
  )
}
