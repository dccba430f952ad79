/**
 * `tmdb-auth login`: in the browser (v3, or `--v4` for a user access token), or with a username
 * and password (`--password`: TMDB_PASSWORD or a prompt that shows nothing as it is typed;
 * `--password-stdin`: a pipe). The login it replaces is ended at TMDB too (best effort).
 */
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as Prompt from "effect/cli/Prompt"
import * as DateTime from "effect/DateTime"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Account from "tmdb-effect/Account"
import * as Authentication from "tmdb-effect/Authentication"
import * as BrowserLogin from "tmdb-effect/node/BrowserLogin"
import * as SessionStore from "tmdb-effect/SessionStore"
import * as TmdbCredentials from "tmdb-effect/TmdbCredentials"
import { InvalidInput } from "tmdb-effect/TmdbError"
import { MissingInput } from "../errors.js"
import * as Output from "../Output.js"
import { ask } from "../Terminal.js"
import type { Common, Printed } from "./environment.js"
import { secret, store, variable } from "./environment.js"
import { keep } from "./keep.js"
import { shownName } from "./shownName.js"
import { tmdb } from "./tmdb.js"

/** `login`'s own options. */
export interface Options extends Common {
  readonly password: boolean
  readonly passwordStdin: boolean
  readonly username: Option.Option<string>
  readonly v4: boolean
  readonly noOpen: boolean
  readonly timeout: Duration.Duration
}

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
    : NodeStream.fromReadable({
      evaluate: () => process.stdin,
      onError: () => new InvalidInput({ field: "password", reason: "stdin could not be read" })
    }).pipe(
      Stream.decodeText(),
      // past the limit the rest is read and dropped: memory stays bounded
      Stream.runFold(() => "", (text, chunk) => text.length > maxPasswordLength ? text : text + chunk),
      Effect.filterOrFail(
        (text) => text.length <= maxPasswordLength,
        () => new InvalidInput({ field: "password", reason: `stdin held more than ${maxPasswordLength} characters` })
      ),
      Effect.map((text) => Redacted.make(text.replace(/\r?\n$/, "")))
    )
)

const missingUsername = new MissingInput({ what: "username", supply: "pass --username or set TMDB_USERNAME" })
const missingPassword = new MissingInput({
  what: "password",
  supply: "pipe it with --password-stdin or set TMDB_PASSWORD"
})

/** The username: `--username`, else TMDB_USERNAME, else a prompt (not with --password-stdin: stdin is the password). */
const usernameOf = (options: Options) =>
  Option.match(Option.orElse(options.username, () => variable("TMDB_USERNAME")), {
    onSome: Effect.succeed,
    onNone: () =>
      options.passwordStdin
        ? Effect.fail(missingUsername)
        : ask(Prompt.String({ message: "TMDB username" }), missingUsername)
  })

/** The password: from stdin, else TMDB_PASSWORD, else a prompt that echoes nothing, not even a `*` per key. */
const passwordOf = (options: Options) =>
  options.passwordStdin ? passwordFromStdin : Option.match(secret("TMDB_PASSWORD"), {
    onSome: Effect.succeed,
    onNone: () => ask(Prompt.Hidden({ message: "TMDB password" }), missingPassword)
  })

/** The approval URL, for the person at the terminal: on stderr, through the one printable filter. */
const showUrl = (url: string) => Output.notice(["Open this URL in a browser to approve the login:", "", `  ${url}`, ""])

/** Shows the URL, then asks the system to open it in a browser. */
const openUrl = (url: string) => Effect.andThen(showUrl(url), BrowserLogin.launch(url))

export const run = (options: Options) =>
  Effect.gen(function*() {
    const created_at = yield* DateTime.now
    const browser = { openUrl: options.noOpen ? showUrl : openUrl, timeout: options.timeout }
    const withPassword = options.password || options.passwordStdin
    if (options.v4 && withPassword) {
      return yield* new InvalidInput({ field: "--v4", reason: "it is a browser login, without a password" })
    }
    let saved: SessionStore.Login
    if (options.v4) {
      const token = yield* BrowserLogin.loginV4(browser)
      saved = new SessionStore.Login({
        kind: "v4AccessToken",
        session_id: token.access_token,
        account_id: token.account_id,
        created_at
      })
    } else {
      // the password, if one is given, so that a hostile server's answer can't print it back
      const credentials = withPassword
        ? Option.some({ username: yield* usernameOf(options), password: yield* passwordOf(options) })
        : Option.none()
      const password = Option.map(credentials, ({ password }) => password)
      const session = Option.isSome(credentials)
        ? yield* Authentication.loginWithPassword(credentials.value)
        : yield* BrowserLogin.login(browser)
      const account = yield* Account.details({ session_id: session.session_id })
      saved = new SessionStore.Login({
        kind: "session",
        session_id: session.session_id,
        account_id: account.id,
        username: yield* shownName(account.username, [session.session_id, ...Option.toArray(password)]),
        created_at
      })
    }
    yield* keep(saved)
    return {
      text: saved.kind === "v4AccessToken"
        ? `Logged in with a v4 access token (account ${saved.account_id}).`
        : `Logged in as ${saved.username} (account ${saved.account_id}).`,
      json: { kind: saved.kind, username: saved.username ?? null, account_id: saved.account_id ?? null }
    } satisfies Printed
  }).pipe(Effect.provide(Layer.mergeAll(TmdbCredentials.layerConfig, tmdb(options), store(options))))
