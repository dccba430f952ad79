/**
 * The `tmdb-auth` command line: commands, output (text or `--json`), and one exit code per kind
 * of outcome. `src/node/cli.ts` runs it.
 */
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as Prompt from "@effect/cli/Prompt"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Terminal from "@effect/platform/Terminal"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { stripVTControlCharacters } from "node:util"
import * as Account from "../../Account.js"
import * as Authentication from "../../Authentication.js"
import { endAtTmdb } from "../../internal/endLogin.js"
import { websiteOf } from "../../internal/url.js"
import { withhold } from "../../internal/withhold.js"
import * as SessionStore from "../../SessionStore.js"
import * as TmdbConfig from "../../TmdbConfig.js"
import * as TmdbCredentials from "../../TmdbCredentials.js"
import { InvalidInput } from "../../TmdbError.js"
import * as BrowserLogin from "../BrowserLogin.js"
import * as NodeSessionStore from "../NodeSessionStore.js"
import * as Help from "./cliHelp.js"
import { stderrTerminal, withCliConsole } from "./cliTerminal.js"

/** The exit codes, one meaning each: `cliHelp.ts` and the CLI guide (docs/cli.md) say what each means. */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  refused: 3,
  notLoggedIn: 4,
  unavailable: 5,
  local: 6,
  interrupted: 130
} as const

/** Not logged in (nothing stored, expired, or no longer valid at TMDB). */
class NotLoggedIn extends Schema.TaggedError<NotLoggedIn>()("NotLoggedIn", { reason: Schema.String }) {
  override get message(): string {
    return `Not logged in: ${this.reason}; run \`tmdb-auth login\``
  }
}

const codeOf = (tag: string): number => {
  switch (tag) {
    case "InvalidApiKey":
    case "InvalidLogin":
    case "AccountDisabled":
    case "EmailNotVerified":
    case "SessionDenied":
    case "InvalidRequestToken":
    case "AuthenticationFailed":
    case "LoginDenied":
    case "LoginTimeout":
      return ExitCode.refused
    case "NotLoggedIn":
      return ExitCode.notLoggedIn
    case "TransportError":
    case "TmdbUnavailable":
    case "RateLimited":
    case "RateLimiterUnavailable":
    case "LogoutIncomplete":
      return ExitCode.unavailable
    case "CorruptedSession":
    case "InsecureSessionFile":
    case "SessionStoreError":
    case "CallbackServerError":
      return ExitCode.local
    case "ConfigError":
    case "InvalidCredentialsFormat":
    case "InvalidConfig":
    case "InvalidInput":
    case "BearerTokenRequired":
    case "MissingInput":
      return ExitCode.usage
    default:
      return ExitCode.unexpected
  }
}

/**
 * A value the user did not give, which would need a prompt, when stdin is not a terminal: a
 * script or CI job fails at once instead of waiting for input that never comes.
 */
class MissingInput extends Schema.TaggedError<MissingInput>()("MissingInput", {
  what: Schema.String,
  supply: Schema.String
}) {
  override get message(): string {
    return `No ${this.what}, and stdin is not a terminal to prompt on: ${this.supply}`
  }
}

/** How one run ended, as the last line on stderr or the one JSON object on stdout says it. */
interface Failure {
  readonly error: string
  readonly message: string
  readonly exitCode: number
}

const interrupted: Failure = { error: "Interrupted", message: "Interrupted", exitCode: ExitCode.interrupted }

const oneLine = (text: string) => stripVTControlCharacters(text).replace(/\s+/g, " ").trim()

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

/** What a failure of a command, or of parsing its arguments (`args`), tells the user. */
const failureOf = (error: unknown, args: ReadonlyArray<string>): Failure => {
  if (ValidationError.isValidationError(error)) {
    const text = mayHoldPassword(args)
      ? withheldArguments
      : "error" in error
      ? oneLine(HelpDoc.toAnsiText(error.error))
      : "Invalid arguments"
    const message = `${text} (${Help.name} --help lists the commands and options)`
    return { error: "InvalidArguments", message, exitCode: ExitCode.usage }
  }
  if (Terminal.isQuitException(error)) return interrupted
  if (typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string") {
    const text = "message" in error && typeof error.message === "string" ? oneLine(error.message) : error._tag
    const source = error._tag === "InvalidConfig" && "setting" in error && typeof error.setting === "string"
      ? settingSource[error.setting]
      : undefined
    const message = source === undefined ? text : `${text} (set with ${source})`
    return { error: error._tag, message, exitCode: codeOf(error._tag) }
  }
  return { error: "Unexpected", message: "unexpected failure", exitCode: ExitCode.unexpected }
}

// ---------------------------------------------------------------------------------------------
// Options every command takes

const common = {
  json: Options.boolean("json").pipe(Options.withDescription("Print one JSON object on stdout")),
  baseUrl: Options.text("base-url").pipe(
    Options.withDescription("TMDB API origin (env TMDB_BASE_URL); default https://api.themoviedb.org"),
    Options.optional
  ),
  webUrl: Options.text("web-url").pipe(
    Options.withDescription(
      "TMDB website origin for approval pages (env TMDB_WEB_URL); default: the base URL's, api. → www."
    ),
    Options.optional
  ),
  store: Options.text("store").pipe(
    Options.withDescription("Session file (env TMDB_AUTH_STORE); default $XDG_CONFIG_HOME/tmdb-auth/session.json"),
    Options.optional
  )
}

type Common = {
  readonly json: boolean
  readonly baseUrl: Option.Option<string>
  readonly webUrl: Option.Option<string>
  readonly store: Option.Option<string>
}

const env = (name: string): Effect.Effect<Option.Option<string>> =>
  Config.option(Config.nonEmptyString(name)).pipe(Effect.orElseSucceed(() => Option.none<string>()))

/** Where requests go, and where the session is kept. */
const environment = (options: Common) =>
  Effect.gen(function*() {
    const base = Option.isSome(options.baseUrl) ? options.baseUrl : yield* env("TMDB_BASE_URL")
    const web = Option.isSome(options.webUrl) ? options.webUrl : yield* env("TMDB_WEB_URL")
    const settings: Partial<TmdbConfig.Settings> = {
      // The website next to the API: api.example → www.example; a loopback simulator serves both.
      ...(Option.isSome(base)
        ? { baseUrl: base.value, webUrl: websiteOf(base.value) }
        : {}),
      ...(Option.isSome(web) ? { webUrl: web.value } : {})
    }
    const path = Option.isSome(options.store) ? options.store : yield* env("TMDB_AUTH_STORE")
    return Layer.mergeAll(
      TmdbConfig.layer(settings),
      NodeSessionStore.layer({ path: Option.getOrUndefined(path) }),
      FetchHttpClient.layer
    )
  })

const print = (line: string) => Effect.sync(() => void process.stdout.write(`${line}\n`))

/**
 * Runs a command and prints its result on stdout: `text`, or with `--json` one object. A failure
 * is left to {@link run}, which reports every outcome the same way.
 */
const command = <A, E, R>(
  options: Common,
  program: Effect.Effect<A, E, R>,
  render: (a: A) => { readonly text: string; readonly json: Record<string, unknown> }
) =>
  Effect.gen(function*() {
    const layer = yield* environment(options)
    const out = render(yield* Effect.provide(program, layer))
    yield* print(options.json ? JSON.stringify({ ok: true, ...out.json, exitCode: ExitCode.ok }) : out.text)
  })

const credentials = TmdbCredentials.layerConfig

const store = SessionStore.SessionStore

const iso = (dateTime: DateTime.DateTime) => DateTime.formatIso(dateTime)

// ---------------------------------------------------------------------------------------------
// Commands

const descriptions = {
  validate: "Check that TMDB accepts TMDB_BEARER_TOKEN / TMDB_API_KEY",
  guest: "Create a guest session and keep it",
  login: "Log in (in the browser by default) and keep the session",
  whoami: "Show who the stored session belongs to",
  logout: "Delete the session at TMDB and the stored copy"
} as const

const validate = Command.make("validate", common, (options) =>
  command(
    options,
    Effect.gen(function*() {
      const credential = yield* TmdbCredentials.TmdbCredentials
      const result = yield* Authentication.validateKey()
      return { kind: credential._tag, success: result.success }
    }).pipe(Effect.provide(credentials)),
    (r) => ({
      text: `TMDB accepted the credentials (${r.kind === "BearerToken" ? "API Read Access Token" : "v3 API key"}).`,
      json: { credentials: r.kind }
    })
  )).pipe(Command.withDescription(descriptions.validate))

const guest = Command.make("guest", common, (options) =>
  command(
    options,
    Effect.gen(function*() {
      const session = yield* Authentication.createGuestSession()
      const created_at = yield* DateTime.now
      yield* Effect.flatMap(store, (s) =>
        s.save(
          new SessionStore.Login({
            kind: "guest",
            session_id: session.guest_session_id,
            created_at,
            expires_at: session.expires_at
          })
        ))
      return session
    }).pipe(Effect.provide(credentials)),
    (session) => ({
      text: `Guest session saved; it expires at ${iso(session.expires_at)}.`,
      json: { kind: "guest", expires_at: iso(session.expires_at) }
    })
  )).pipe(Command.withDescription(descriptions.guest))

/**
 * `--timeout`: a duration as people write one (`30s`, `10m`, `1h`, `1500ms`) or, as before, a
 * number of seconds; more than nothing and at most a day.
 */
export const parseTimeout = (text: string): Effect.Effect<Duration.Duration, ValidationError.ValidationError> => {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim())
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const
  const millis = match === null ? Number.NaN : Number(match[1]) * unit[(match[2] ?? "s") as keyof typeof unit]
  return millis > 0 && millis <= 86_400_000
    ? Effect.succeed(Duration.millis(millis))
    : Effect.fail(ValidationError.invalidValue(HelpDoc.p(
      `--timeout takes a duration such as 30s, 10m or 1h (or a number of seconds), more than 0 and at most 24h; got '${text}'`
    )))
}

/** Asks on the terminal, or, when stdin is not one, fails at once saying how else to give it. */
const ask = <A>(prompt: Prompt.Prompt<A>, missing: MissingInput) =>
  Effect.flatMap(Terminal.Terminal, (terminal) => terminal.isTTY).pipe(
    Effect.flatMap((tty): Effect.Effect<A, Terminal.QuitException | MissingInput, Terminal.Terminal> =>
      tty ? prompt : Effect.fail(missing)
    )
  )

const missingUsername = new MissingInput({ what: "username", supply: "pass --username or set TMDB_USERNAME" })

/** Passwords are short; a pipe that sends more is a mistake, not a password. */
const maxPasswordLength = 4096

/**
 * `--password-stdin`: all of stdin, without the line break `echo` or a file adds at the end. From
 * a terminal it would wait, without a prompt, for an end of input nobody types, showing the
 * password as it is typed: refused.
 */
const passwordFromStdin = Effect.suspend(() =>
  process.stdin.isTTY
    ? Effect.fail(
      new InvalidInput({
        field: "password",
        reason: "--password-stdin reads a pipe, and stdin is a terminal: use --password to be prompted"
      })
    )
    : readPasswordFromStdin
)

const readPasswordFromStdin = NodeStream.fromReadable(
  () => process.stdin,
  () => new InvalidInput({ field: "password", reason: "stdin could not be read" })
).pipe(
  Stream.decodeText(),
  Stream.runFoldWhile("", (text) => text.length <= maxPasswordLength, (text, chunk) => text + chunk),
  Effect.filterOrFail(
    (text) => text.length <= maxPasswordLength,
    () => new InvalidInput({ field: "password", reason: `stdin held more than ${maxPasswordLength} characters` })
  ),
  Effect.map((text) => Redacted.make(text.replace(/\r?\n$/, "")))
)

const optionalSecret = (name: string) =>
  Config.option(Config.redacted(name)).pipe(Effect.orElseSucceed(() => Option.none<Redacted.Redacted<string>>()))

const login = Command.make("login", {
  ...common,
  password: Options.boolean("password").pipe(
    Options.withDescription(
      "Log in with username and password (TMDB_PASSWORD, else a hidden prompt) instead of the browser"
    )
  ),
  passwordStdin: Options.boolean("password-stdin").pipe(
    Options.withDescription("As --password, reading the password from stdin (a pipe or a file)")
  ),
  username: Options.text("username").pipe(
    Options.withDescription("The TMDB username for --password (env TMDB_USERNAME, else a prompt)"),
    Options.optional
  ),
  v4: Options.boolean("v4").pipe(
    Options.withDescription("Browser login for a v4 user access token (needs TMDB_BEARER_TOKEN)")
  ),
  noOpen: Options.boolean("no-open").pipe(
    Options.withDescription("Only print the approval URL; do not open a browser")
  ),
  timeout: Options.text("timeout").pipe(
    Options.withPseudoName("duration"),
    Options.withDescription("How long to wait for the browser approval: 30s, 10m, 1h (bare numbers are seconds)"),
    Options.withDefault("5m"),
    Options.mapEffect(parseTimeout)
  )
}, (options) =>
  command(
    options,
    Effect.gen(function*() {
      const created_at = yield* DateTime.now
      const browser = {
        openUrl: options.noOpen ? BrowserLogin.printUrl : BrowserLogin.openInBrowser,
        timeout: options.timeout
      }
      const withPassword = options.password || options.passwordStdin
      if (options.v4 && withPassword) {
        return yield* new InvalidInput({ field: "--v4", reason: "it is a browser login, without a password" })
      }
      let saved: SessionStore.Login
      // the password, if one is typed, so a hostile server's answer can't print it back
      let password: Redacted.Redacted<string> | undefined
      if (options.v4) {
        const token = yield* BrowserLogin.loginV4(browser)
        saved = new SessionStore.Login({
          kind: "v4AccessToken",
          session_id: token.access_token,
          account_id: token.account_id,
          created_at
        })
      } else {
        const session = withPassword
          ? yield* Effect.gen(function*() {
            const username = Option.isSome(options.username)
              ? options.username.value
              : yield* Effect.flatMap(
                env("TMDB_USERNAME"),
                Option.match({
                  onSome: Effect.succeed,
                  onNone: () =>
                    options.passwordStdin
                      ? Effect.fail(missingUsername)
                      : ask(Prompt.text({ message: "TMDB username" }), missingUsername)
                })
              )
            password = options.passwordStdin ? yield* passwordFromStdin : yield* Effect.flatMap(
              optionalSecret("TMDB_PASSWORD"),
              Option.match({
                onSome: Effect.succeed,
                onNone: () =>
                  ask(
                    Prompt.password({ message: "TMDB password" }),
                    new MissingInput({
                      what: "password",
                      supply: "pipe it with --password-stdin or set TMDB_PASSWORD"
                    })
                  )
              })
            )
            return yield* Authentication.loginWithPassword({ username, password })
          })
          : yield* BrowserLogin.login(browser)
        const account = yield* Account.details({ session_id: session.session_id })
        saved = new SessionStore.Login({
          kind: "session",
          session_id: session.session_id,
          account_id: account.id,
          username: yield* shownName(account.username, [
            session.session_id,
            ...(password === undefined ? [] : [password])
          ]),
          created_at
        })
      }
      const sessions = yield* store
      // The login this one replaces ends at TMDB too (best effort: it may be gone, or unreadable).
      const previous = yield* Effect.option(sessions.load)
      yield* sessions.save(saved)
      if (Option.isSome(previous) && Option.isSome(previous.value)) {
        yield* Effect.ignore(endAtTmdb(previous.value.value))
      }
      return saved
    }).pipe(Effect.provide(credentials)),
    (saved) => ({
      text: saved.kind === "v4AccessToken"
        ? `Logged in with a v4 access token (account ${saved.account_id}).`
        : `Logged in as ${saved.username} (account ${saved.account_id}).`,
      json: { kind: saved.kind, username: saved.username ?? null, account_id: saved.account_id ?? null }
    })
  )).pipe(Command.withDescription(descriptions.login))

/**
 * A user name TMDB sent, as the CLI shows and keeps it: withheld whole, as server text in errors
 * is, if it quotes a secret of the call (a hostile server could answer with the password).
 */
const shownName = (username: string, secrets: ReadonlyArray<Redacted.Redacted<string>>) =>
  Effect.map(TmdbCredentials.TmdbCredentials, (credentials) =>
    withhold(
      username,
      [...secrets, credentials._tag === "BearerToken" ? credentials.token : credentials.key].map(Redacted.value)
    ))

const loaded = Effect.flatMap(store, (s) => s.load).pipe(
  Effect.flatMap(Option.match({
    onNone: () => Effect.fail(new NotLoggedIn({ reason: "no session is stored (or it expired)" })),
    onSome: Effect.succeed
  }))
)

const whoami = Command.make("whoami", common, (options) =>
  command(
    options,
    Effect.gen(function*() {
      const saved = yield* loaded
      if (saved.kind !== "session") return { saved, username: saved.username }
      const account = yield* Account.details({ session_id: saved.session_id }).pipe(
        Effect.catchTag("AuthenticationFailed", () =>
          Effect.fail(new NotLoggedIn({ reason: "TMDB no longer accepts the stored session" })))
      )
      return { saved, username: yield* shownName(account.username, [saved.session_id]) }
    }).pipe(Effect.provide(credentials)),
    ({ saved, username }) => ({
      text: saved.kind === "guest"
        ? `A guest session, until ${saved.expires_at === undefined ? "TMDB ends it" : iso(saved.expires_at)}.`
        : saved.kind === "v4AccessToken"
        ? `A v4 access token for account ${saved.account_id}, since ${iso(saved.created_at)}.`
        : `${username} (account ${saved.account_id}), logged in since ${iso(saved.created_at)}.`,
      json: {
        kind: saved.kind,
        username: username ?? null,
        account_id: saved.account_id ?? null,
        created_at: iso(saved.created_at),
        expires_at: saved.expires_at === undefined ? null : iso(saved.expires_at)
      }
    })
  )).pipe(Command.withDescription(descriptions.whoami))

/** TMDB could not be asked to end the session; the stored copy is kept for another try. */
class LogoutIncomplete extends Schema.TaggedError<LogoutIncomplete>()("LogoutIncomplete", {
  reason: Schema.String
}) {
  override get message(): string {
    return `Not logged out: ${this.reason}. The stored session is kept so that it can still be ended; ` +
      "run `tmdb-auth logout` again to retry"
  }
}

const logout = Command.make("logout", common, (options) =>
  command(
    options,
    SessionStore.logout().pipe(
      Effect.catchTags({
        TransportError: (error) => Effect.fail(new LogoutIncomplete({ reason: error.message })),
        TmdbUnavailable: (error) => Effect.fail(new LogoutIncomplete({ reason: error.message })),
        RateLimited: (error) => Effect.fail(new LogoutIncomplete({ reason: error.message }))
      }),
      Effect.tap((outcome) =>
        outcome._tag === "CorruptedRemoved"
          ? Effect.sync(() =>
            void process.stderr.write(
              `tmdb-auth: warning: ${outcome.error.location} was corrupted (${outcome.error.reason}) and is removed; ` +
                "a session it held could not be ended at TMDB\n"
            )
          )
          : Effect.void
      ),
      Effect.provide(credentials)
    ),
    (outcome) => ({
      text: SessionStore.LogoutOutcome.$match(outcome, {
        NothingStored: () => "Not logged in; nothing to do.",
        LoggedOut: ({ kind }) =>
          kind === "guest"
            ? "Logged out: the guest session is forgotten here (TMDB ends it when it expires)."
            : kind === "v4AccessToken"
            ? "Logged out: the access token is deleted at TMDB and here."
            : "Logged out: the session is deleted at TMDB and here.",
        AlreadyLoggedOut: () => "Already logged out: TMDB no longer knows the session; the stored copy is removed.",
        CorruptedRemoved: () => "Logged out here: the corrupted stored login is removed."
      }),
      json: {
        outcome: outcome._tag,
        loggedOut: outcome._tag !== "NothingStored",
        kind: "kind" in outcome ? outcome.kind : null
      }
    })
  )).pipe(Command.withDescription(descriptions.logout))

const description = "Log in to TMDB and keep the session"

const entries: ReadonlyArray<Help.Entry> = [
  Help.entry("validate", descriptions.validate, validate),
  Help.entry("guest", descriptions.guest, guest),
  Help.entry("login", descriptions.login, login),
  Help.entry("whoami", descriptions.whoami, whoami),
  Help.entry("logout", descriptions.logout, logout)
]

const cli = Command.run(
  Command.make(Help.name).pipe(
    Command.withDescription(description),
    Command.withSubcommands([validate, guest, login, whoami, logout])
  ),
  { name: Help.name, version: Help.version }
)

/** `-h`/`--help` anywhere: the help of the command named first, else of the whole program. */
const help = (args: ReadonlyArray<string>) => {
  const named = args.find((arg) => entries.some((e) => e.name === arg))
  const entry = entries.find((e) => e.name === named)
  return Console.log(Help.helpFor(entries, description, entry))
}

/** The last word of a failed run: one line on stderr, or with `--json` the one JSON object on stdout. */
const report = (json: boolean, failure: Failure) =>
  Effect.sync(() => {
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, ...failure })}\n`)
    // After Ctrl-C the cursor is still on a prompt's line, or on the terminal's "^C".
    else if (failure === interrupted && process.stderr.isTTY) {
      process.stderr.write(`\n${Help.name}: ${failure.message}\n`)
    } else process.stderr.write(`${Help.name}: ${failure.message}\n`)
    return failure.exitCode
  })

/**
 * Runs the CLI on `argv` (as `process.argv`); succeeds with the exit code, or prints the
 * interruption and is interrupted. `--json` is looked for before parsing, so that a flag that
 * does not parse is reported as JSON too.
 */
export const run = (argv: ReadonlyArray<string>) => {
  const args = argv.slice(2)
  const json = args.includes("--json")
  const program = args.length === 0 || args.includes("--help") || args.includes("-h") ? help(args) : cli(argv)
  return program.pipe(
    Effect.as<number>(ExitCode.ok),
    Effect.catchAll((error) => report(json, failureOf(error, args))),
    Effect.catchAllDefect((defect) =>
      report(json, {
        error: "Unexpected",
        message: `unexpected failure: ${defect instanceof Error ? defect.message : "unknown"}`,
        exitCode: ExitCode.unexpected
      })
    ),
    Effect.onInterrupt(() => report(json, interrupted)),
    Effect.provide(stderrTerminal),
    withCliConsole
  )
}
