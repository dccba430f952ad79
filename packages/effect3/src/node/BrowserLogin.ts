/**
 * Browser login with a loopback redirect: a callback server on 127.0.0.1 at a free port, a
 * request token whose approval page redirects back to it, and the session (v3) or user access
 * token (v4) once the user approved. The server closes when the login ends.
 *
 * Each login's `redirect_to` ends in a random state (`/callback/<state>`). Only a GET to that
 * path, sent to `127.0.0.1:<port>` or `localhost:<port>` and carrying no other request token,
 * ends the login; anything else is answered 400 and the login keeps waiting until its timeout.
 *
 * @since 1.0.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { spawn } from "node:child_process"
import * as Authentication from "../Authentication.js"
import * as AuthV4 from "../AuthV4.js"
import { approval } from "../internal/approval.js"
import { check, checkDuration } from "../internal/config.js"
import { LoginDenied } from "../internal/loginDenied.js"
import { TmdbConfig } from "../TmdbConfig.js"
import type { InvalidConfig } from "../TmdbError.js"
import * as CallbackServer from "./internal/callbackServer.js"

export {
  /**
   * The user denied access on TMDB's approval page (or TMDB refused the token as not approved).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { BrowserLogin } from "tmdb-effect/node"
   *
   * const login = BrowserLogin.login().pipe(
   *   Effect.catchTag("LoginDenied", () => Effect.succeed(null))
   * )
   * ```
   *
   * @since 1.0.0
   * @category errors
   */
  LoginDenied
} from "../internal/loginDenied.js"

/**
 * The browser did not come back before the timeout.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { BrowserLogin } from "tmdb-effect/node"
 *
 * const login = BrowserLogin.login({ timeout: "2 minutes" }).pipe(
 *   Effect.catchTag("LoginTimeout", (e) => Effect.fail(e.message))
 * )
 * ```
 *
 * @since 1.0.0
 * @category errors
 */
export class LoginTimeout
  extends /* @__PURE__ */ Schema.TaggedError<LoginTimeout>("tmdb-effect/LoginTimeout")("LoginTimeout", {
    /** The timeout that passed, e.g. `"5m"`. */
    timeout: Schema.String
  })
{
  override get message(): string {
    return `No approval came back from the browser within ${this.timeout}; run the login again ` +
      `(open the printed URL in a browser on this machine)`
  }
}

/**
 * The callback server could not listen on 127.0.0.1 (e.g. the port is taken).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { BrowserLogin } from "tmdb-effect/node"
 *
 * const login = BrowserLogin.login({ port: 8788 }).pipe(
 *   Effect.catchTag("CallbackServerError", () => BrowserLogin.login())
 * )
 * ```
 *
 * @since 1.0.0
 * @category errors
 */
export class CallbackServerError
  extends /* @__PURE__ */ Schema.TaggedError<CallbackServerError>("tmdb-effect/CallbackServerError")(
    "CallbackServerError",
    { port: Schema.Number, reason: Schema.String }
  )
{
  override get message(): string {
    return `Could not start the login callback server on 127.0.0.1:${this.port} (${this.reason}); ` +
      `choose another port or leave it to the system (port 0)`
  }
}

/**
 * How a browser login runs.
 *
 * @example
 * ```ts
 * import { BrowserLogin } from "tmdb-effect/node"
 *
 * const options: BrowserLogin.Options = { timeout: "2 minutes", openUrl: BrowserLogin.openInBrowser }
 * ```
 *
 * @since 1.0.0
 * @category models
 */
export interface Options {
  /** Hands the approval URL to the user; default {@link printUrl}. See {@link openInBrowser}. */
  readonly openUrl?: ((url: string) => Effect.Effect<void>) | undefined
  /** How long to wait for the browser; default 5 minutes. */
  readonly timeout?: Duration.DurationInput | undefined
  /** The callback server's port on 127.0.0.1; default 0 (a free port). */
  readonly port?: number | undefined
  /** The callback path, followed by this login's random state; default `"/callback"`. */
  readonly path?: string | undefined
}

/**
 * Prints the approval URL to stderr, for the user to open.
 *
 * @example
 * ```ts
 * import { BrowserLogin } from "tmdb-effect/node"
 *
 * const login = BrowserLogin.login({ openUrl: BrowserLogin.printUrl })
 * ```
 *
 * @since 1.0.0
 * @category openers
 */
export const printUrl = (url: string): Effect.Effect<void> =>
  Effect.sync(() => {
    process.stderr.write(`Open this URL in a browser to approve the login:\n\n  ${url}\n\n`)
  })

const openerOf = (url: string): readonly [string, ReadonlyArray<string>] =>
  process.platform === "darwin"
    ? ["open", [url]]
    : process.platform === "win32"
    ? ["cmd", ["/c", "start", "\"\"", url.replace(/&/g, "^&")]]
    : ["xdg-open", [url]]

/**
 * Prints the approval URL, then asks the OS to open it (`open`, `xdg-open` or `start`); when
 * that fails, the printed URL is still there.
 *
 * @example
 * ```ts
 * import { BrowserLogin } from "tmdb-effect/node"
 *
 * const login = BrowserLogin.login({ openUrl: BrowserLogin.openInBrowser })
 * ```
 *
 * @since 1.0.0
 * @category openers
 */
export const openInBrowser = (url: string): Effect.Effect<void> =>
  Effect.zipRight(
    printUrl(url),
    Effect.sync(() => {
      try {
        const [command, args] = openerOf(url)
        const child = spawn(command, args, { detached: true, stdio: "ignore" })
        child.on("error", () => undefined)
        child.unref()
      } catch {
        // The URL is printed; opening is a convenience.
      }
    })
  )

type WaitError = InvalidConfig | LoginDenied | LoginTimeout | CallbackServerError

/**
 * Runs the browser part: serve the callback, make the approval URL for it, hand it over, wait
 * for the redirect, check it, `finish`, answer the browser.
 */
const viaBrowser = <T, A, E, R>(
  options: Options | undefined,
  start: (
    redirectTo: string
  ) => Effect.Effect<{ readonly token: T; readonly request_token: string; readonly url: string }, E, R>,
  finish: (token: T) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | WaitError, R> =>
  Effect.scoped(Effect.gen(function*() {
    const port = options?.port ?? 0
    const timeout = yield* checkDuration("BrowserLogin.timeout", options?.timeout ?? "5 minutes")
    const server = yield* CallbackServer.start({ port, path: options?.path ?? "/callback" }).pipe(
      Effect.mapError((reason) => new CallbackServerError({ port, reason }))
    )
    const { request_token, token, url } = yield* start(server.url)
    yield* (options?.openUrl ?? printUrl)(url)
    const callback = yield* server.callbackFor(request_token).pipe(
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () => new LoginTimeout({ timeout: Duration.format(timeout) })
      })
    )
    // Without `denied`, TMDB decides: a token the user did not approve is refused (LoginDenied).
    const outcome: Effect.Effect<A, E | LoginDenied, R> = callback.outcome === "denied"
      ? Effect.fail(new LoginDenied())
      : finish(token)
    return yield* outcome.pipe(
      Effect.tapErrorCause(() =>
        callback.reply(
          400,
          CallbackServer.page("Login failed", "The login did not complete; see the terminal for why.")
        )
      ),
      Effect.tap(() =>
        callback.reply(200, CallbackServer.page("Logged in", "You are logged in to TMDB. You can close this window."))
      )
    )
  }))

const deniedToLoginDenied = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.catchIf(
    effect,
    (error): error is Extract<E, { readonly _tag: "SessionDenied" }> =>
      typeof error === "object" && error !== null && "_tag" in error && error._tag === "SessionDenied",
    () => Effect.fail(new LoginDenied())
  )

/**
 * v3 browser login: creates a request token, sends the user to its approval page with
 * `redirect_to` pointing at this login's callback on 127.0.0.1, waits for it (`LoginDenied`,
 * `LoginTimeout`), and creates the session. The approval URL is built on `TmdbConfig.webUrl`.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 * import { Account, TmdbCredentials } from "tmdb-effect"
 * import { BrowserLogin } from "tmdb-effect/node"
 *
 * const program = Effect.gen(function*() {
 *   const session = yield* BrowserLogin.login({ openUrl: BrowserLogin.openInBrowser })
 *   const account = yield* Account.details({ session_id: session.session_id })
 *   console.log(`logged in as ${account.username}`)
 * }).pipe(Effect.provide(TmdbCredentials.layerConfig), Effect.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 1.0.0
 * @category flows
 */
export const login = Effect.fn("tmdb.BrowserLogin.login")(function*(options?: Options) {
  const { webUrl } = yield* check(yield* TmdbConfig)
  return yield* viaBrowser(
    options,
    (redirectTo) =>
      Effect.flatMap(Authentication.createRequestToken(), (token) =>
        Effect.map(
          approval(() => Authentication.approvalUrl(token.request_token, { redirectTo, webUrl })),
          (url) => ({ token, request_token: token.request_token, url })
        )),
    (token) => deniedToLoginDenied(Authentication.createSession({ request_token: token.request_token }))
  )
})

/**
 * v4 browser login: creates a v4 request token with `redirect_to` pointing at a callback server
 * on 127.0.0.1, sends the user to its approval page, waits for this login's callback, and creates
 * the user access token. Needs Bearer credentials (`BearerTokenRequired` otherwise).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 * import { BrowserLogin } from "tmdb-effect/node"
 *
 * const program = Effect.gen(function*() {
 *   const token = yield* BrowserLogin.loginV4()
 *   // a v3 session for v3 endpoints, if needed
 *   return yield* Authentication.createSessionFromV4Token({ access_token: token.access_token })
 * })
 * ```
 *
 * @since 1.0.0
 * @category flows
 */
export const loginV4 = Effect.fn("tmdb.BrowserLogin.loginV4")(function*(options?: Options) {
  const { webUrl } = yield* check(yield* TmdbConfig)
  return yield* viaBrowser(
    options,
    (redirect_to) =>
      Effect.flatMap(AuthV4.createRequestToken({ redirect_to }), (token) =>
        Effect.map(
          approval(() => AuthV4.approvalUrl(token.request_token, { webUrl })),
          (url) => ({ token, request_token: token.request_token, url })
        )),
    (token) => deniedToLoginDenied(AuthV4.createAccessToken({ request_token: token.request_token }))
  )
})
