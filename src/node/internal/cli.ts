/**
 * The `tmdb-auth` command line: commands, output (text or `--json`), and one exit code per kind
 * of failure. `src/node/cli.ts` runs it.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Prompt from "@effect/cli/Prompt"
import * as ValidationError from "@effect/cli/ValidationError"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Config from "effect/Config"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Account from "../../Account.js"
import * as Authentication from "../../Authentication.js"
import * as AuthV4 from "../../AuthV4.js"
import { withhold } from "../../internal/withhold.js"
import * as SessionStore from "../../SessionStore.js"
import * as TmdbConfig from "../../TmdbConfig.js"
import * as TmdbCredentials from "../../TmdbCredentials.js"
import * as BrowserLogin from "../BrowserLogin.js"
import * as NodeSessionStore from "../NodeSessionStore.js"

/** The exit codes, documented in the README. */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  refused: 3,
  notLoggedIn: 4,
  unavailable: 5,
  local: 6
} as const

/** Ends a command with a code after its message was printed. */
class CliExit extends Schema.TaggedError<CliExit>()("CliExit", { code: Schema.Number }) {}

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
    case "QuitException":
      return ExitCode.usage
    default:
      return ExitCode.unexpected
  }
}

const messageOf = (error: { readonly _tag: string; readonly message: string }): string => {
  if (error._tag === "ConfigError") {
    return "No TMDB credentials: set TMDB_BEARER_TOKEN (API Read Access Token) or TMDB_API_KEY (v3 API key)"
  }
  if (error._tag === "QuitException") return "Cancelled"
  return error.message.replace(/\s+/g, " ").trim()
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
        ? { baseUrl: base.value, webUrl: base.value.replace(/^(https?:\/\/)api\./, "$1www.") }
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

/** Runs a command: success prints `text` or the JSON; every failure prints one line and ends with its code. */
const command = <A, E extends { readonly _tag: string; readonly message: string }, R>(
  options: Common,
  program: Effect.Effect<A, E, R>,
  render: (a: A) => { readonly text: string; readonly json: Record<string, unknown> }
) =>
  Effect.gen(function*() {
    const layer = yield* environment(options)
    return yield* program.pipe(Effect.provide(layer))
  }).pipe(
    Effect.matchEffect({
      onSuccess: (a) => {
        const out = render(a)
        return print(options.json ? JSON.stringify({ ok: true, ...out.json }) : out.text)
      },
      onFailure: (error) => {
        const code = codeOf(error._tag)
        const message = messageOf(error)
        return Effect.zipRight(
          options.json
            ? print(JSON.stringify({ ok: false, error: error._tag, message, exitCode: code }))
            : Effect.sync(() => void process.stderr.write(`tmdb-auth: ${message}\n`)),
          Effect.fail(new CliExit({ code }))
        )
      }
    })
  )

const credentials = TmdbCredentials.layerConfig

const store = SessionStore.SessionStore

const iso = (dateTime: DateTime.DateTime) => DateTime.formatIso(dateTime)

// ---------------------------------------------------------------------------------------------
// Commands

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
  )).pipe(Command.withDescription("Check that TMDB accepts TMDB_BEARER_TOKEN / TMDB_API_KEY"))

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
  )).pipe(Command.withDescription("Create a guest session and keep it"))

const login = Command.make("login", {
  ...common,
  password: Options.boolean("password").pipe(
    Options.withDescription(
      "Log in with username and password (TMDB_PASSWORD, else a hidden prompt) instead of the browser"
    )
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
  timeout: Options.integer("timeout").pipe(
    Options.withDescription("Seconds to wait for the browser approval"),
    Options.withDefault(300)
  )
}, (options) =>
  command(
    options,
    Effect.gen(function*() {
      const created_at = yield* DateTime.now
      const browser = {
        openUrl: options.noOpen ? BrowserLogin.printUrl : BrowserLogin.openInBrowser,
        timeout: `${options.timeout} seconds` as const
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
        const session = options.password
          ? yield* Effect.gen(function*() {
            const username = Option.isSome(options.username)
              ? options.username.value
              : yield* Effect.flatMap(
                env("TMDB_USERNAME"),
                Option.match({
                  onSome: Effect.succeed,
                  onNone: () => Prompt.text({ message: "TMDB username" })
                })
              )
            password = yield* Effect.flatMap(
              Config.option(Config.redacted("TMDB_PASSWORD")).pipe(
                Effect.orElseSucceed(() => Option.none<Redacted.Redacted<string>>())
              ),
              Option.match({
                onSome: Effect.succeed,
                onNone: () => Prompt.password({ message: "TMDB password" })
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
        yield* Effect.ignore(revoke(previous.value.value))
      }
      return saved
    }).pipe(Effect.provide(credentials)),
    (saved) => ({
      text: saved.kind === "v4AccessToken"
        ? `Logged in with a v4 access token (account ${saved.account_id}).`
        : `Logged in as ${saved.username} (account ${saved.account_id}).`,
      json: { kind: saved.kind, username: saved.username ?? null, account_id: saved.account_id ?? null }
    })
  )).pipe(Command.withDescription("Log in (in the browser by default) and keep the session"))

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

/** Ends a login at TMDB (a guest session can't be ended); already gone is fine. */
const revoke = (saved: SessionStore.Login) =>
  saved.kind === "session"
    ? Authentication.deleteSession({ session_id: saved.session_id }).pipe(
      Effect.catchTag("ResourceNotFound", () => Effect.void)
    )
    : saved.kind === "v4AccessToken"
    ? AuthV4.deleteAccessToken({ access_token: saved.session_id }).pipe(
      Effect.catchTag("ResourceNotFound", () => Effect.void)
    )
    : Effect.void

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
  )).pipe(Command.withDescription("Show who the stored session belongs to"))

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
  )).pipe(Command.withDescription("Delete the session at TMDB and the stored copy"))

const root = Command.make("tmdb-auth").pipe(
  Command.withDescription("Log in to TMDB and keep the session"),
  Command.withSubcommands([validate, guest, login, whoami, logout])
)

const cli = Command.run(root, { name: "tmdb-auth", version: "0.1.0" })

/** Runs the CLI on `argv` (as `process.argv`); succeeds with the exit code. */
export const run = (argv: ReadonlyArray<string>) =>
  cli(argv).pipe(
    Effect.as<number>(ExitCode.ok),
    Effect.catchAll((error) => {
      if (error._tag === "CliExit") return Effect.succeed(error.code)
      // @effect/cli has printed the usage problem (or the help) already.
      return Effect.succeed(ValidationError.isHelpRequested(error) ? ExitCode.ok : ExitCode.usage)
    }),
    Effect.catchAllDefect((defect) =>
      Effect.sync(() => {
        process.stderr.write(`tmdb-auth: unexpected failure: ${defect instanceof Error ? defect.message : "unknown"}\n`)
        return ExitCode.unexpected
      })
    )
  )
