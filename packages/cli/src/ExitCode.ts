/**
 * The exit codes: one meaning each, and one table from every failure's tag to its code. The
 * table is the only place a tag meets a code: the CLI exits with it, `--help` lists it, and
 * README.md's table is checked against it (`npm run docs`, scripts/check-readme.mjs).
 */
import type * as Cli from "./Cli.js"

/** The exit codes by name. */
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

/** An exit code. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** What each exit code means, as `--help` and README.md say it. */
export const meanings: { readonly [Code in ExitCode]: string } = {
  0: "done (also --help, and logout with nothing left to end)",
  1: "unexpected: TMDB answered something it does not document, or a bug",
  2: "bad arguments or settings, found before any request: a flag or value that does not parse, " +
    "missing or malformed credentials or input, nothing to prompt with (stdin is not a terminal), --v4 with an api_key",
  3: "refused: wrong key or password, account disabled or unverified, approval denied or not given in time",
  4: "not logged in: nothing stored, expired, or TMDB no longer accepts the stored session",
  5: "TMDB unreachable or unavailable: network failure, time-out, 5xx, rate limited (logout keeps the session: run it again)",
  6: "local problem: the session file is unsafe, corrupted or cannot be written; the callback port is taken",
  130: "interrupted (Ctrl-C, SIGINT, SIGTERM or SIGHUP): nothing half-written is left"
}

/**
 * Every tag a run can end with: the errors of every command (the library's and the CLI's own,
 * read from the commands' types) and the three outcomes no error carries.
 */
export type FailureTag = Cli.CommandError["_tag"] | "InvalidArguments" | "Interrupted" | "Unexpected"

/**
 * Each failure's exit code, by its tag. `satisfies` makes the compiler check it complete (a
 * command that can fail with a new tag does not compile until the tag is here) and exact (no
 * tag no command can produce).
 */
export const exitCodeOf = {
  InvalidApiKey: ExitCode.refused,
  InvalidLogin: ExitCode.refused,
  AccountDisabled: ExitCode.refused,
  EmailNotVerified: ExitCode.refused,
  SessionDenied: ExitCode.refused,
  InvalidRequestToken: ExitCode.refused,
  AuthenticationFailed: ExitCode.refused,
  LoginDenied: ExitCode.refused,
  LoginTimeout: ExitCode.refused,
  NotLoggedIn: ExitCode.notLoggedIn,
  TransportError: ExitCode.unavailable,
  TmdbUnavailable: ExitCode.unavailable,
  RateLimited: ExitCode.unavailable,
  RateLimiterUnavailable: ExitCode.unavailable,
  LogoutIncomplete: ExitCode.unavailable,
  CorruptedSession: ExitCode.local,
  InsecureSessionFile: ExitCode.local,
  SessionStoreError: ExitCode.local,
  CallbackServerError: ExitCode.local,
  InvalidArguments: ExitCode.usage,
  ConfigError: ExitCode.usage,
  InvalidCredentialsFormat: ExitCode.usage,
  InvalidConfig: ExitCode.usage,
  InvalidInput: ExitCode.usage,
  BearerTokenRequired: ExitCode.usage,
  MissingInput: ExitCode.usage,
  ResourceNotFound: ExitCode.unexpected,
  TmdbApiError: ExitCode.unexpected,
  UnexpectedResponse: ExitCode.unexpected,
  Unexpected: ExitCode.unexpected,
  Interrupted: ExitCode.interrupted
} as const satisfies { readonly [Tag in FailureTag]: ExitCode }

/** The tags of each exit code, in the table's order: `--help` and README.md list them. */
export const tagsOf = (code: ExitCode): ReadonlyArray<FailureTag> =>
  (Object.keys(exitCodeOf) as Array<FailureTag>).filter((tag) => exitCodeOf[tag] === code)

/** Every exit code, in order. */
export const exitCodes: ReadonlyArray<ExitCode> = Object.values(ExitCode)
