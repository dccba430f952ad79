/**
 * Log in from a web page with TMDB's redirect login: {@link start} creates a request token whose
 * approval page sends the user back to your page, keeps what the way back needs in
 * `sessionStorage`, and returns the approval URL to navigate to; {@link complete}, on the page
 * TMDB sends the user back to, checks that this is the callback of the login this tab started
 * and turns the approved token into a v4 user access token (with its `account_id`) or a v3
 * session, as a `SessionStore.Login` ready to save.
 *
 * Each login's `redirect_to` is your return URL followed by a random state as a path segment
 * (`https://app.example/callback/<state>`: serve your page under that path), checked by the same
 * rule as the Node loopback login. The approved token travels there, so the return URL must be
 * https or loopback http, on the page's own origin or one you allow. TMDB appends nothing to a v4
 * redirect, so the pending request token is read from `sessionStorage`, never from the URL.
 *
 * @since 2.0.0
 */
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as KeyValueStore from "effect/persistence/KeyValueStore"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type * as Authentication from "../Authentication.js"
import * as AuthV4 from "../AuthV4.js"
import { check } from "../internal/client/config.js"
import { callbackPath, checkCallback, makeState } from "../internal/login/callback.js"
import type { LoginDenied } from "../internal/login/denied.js"
import { exchangeV3, exchangeV4, finish, startV3, startV4 } from "../internal/login/flow.js"
import type { CorruptedSession, SessionStoreError } from "../SessionStore.js"
import { Login } from "../SessionStore.js"
import { TmdbConfig } from "../TmdbConfig.js"
import type { InvalidInput } from "../TmdbError.js"
import { parseUrl } from "./internal/origin.js"
import * as Pending from "./internal/pending.js"
import { returnUrl } from "./internal/returnUrl.js"

export {
  /**
   * The user denied access on TMDB's approval page (or TMDB refused the token as not approved).
   * The same class as `BrowserLogin.LoginDenied` in `tmdb-effect/node`.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { RedirectLogin } from "tmdb-effect/browser"
   *
   * // on the return page: back(location.href)
   * const back = (href: string) => RedirectLogin.complete(href).pipe(
   *   Effect.catchTag("LoginDenied", () => Effect.succeed(null))
   * )
   * ```
   *
   * @since 2.0.0
   * @category errors
   */
  LoginDenied
} from "../internal/login/denied.js"

/**
 * This tab has no login in progress: {@link start} ran in another tab or browser, or the tab's
 * `sessionStorage` was cleared. Start the login again.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { RedirectLogin } from "tmdb-effect/browser"
 *
 * // on the return page: back(location.href)
 * const back = (href: string) => RedirectLogin.complete(href).pipe(
 *   Effect.catchTag("NoPendingLogin", () => Effect.succeed(null))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class NoPendingLogin
  extends /* @__PURE__ */ Schema.TaggedError<NoPendingLogin>("tmdb-effect/NoPendingLogin")("NoPendingLogin", {})
{
  override get message(): string {
    return "No TMDB login was started in this tab (or its session storage was cleared); start the login again"
  }
}

/**
 * The URL is not the callback of the login this tab started: another state, another request
 * token, another path or host — a forged link, or a login started elsewhere. Nothing was sent
 * to TMDB; the pending login stays as it was.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { RedirectLogin } from "tmdb-effect/browser"
 *
 * // on the return page: back(location.href)
 * const back = (href: string) => RedirectLogin.complete(href).pipe(
 *   Effect.catchTag("ForeignCallback", (e) => Effect.logWarning(e.reason))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class ForeignCallback
  extends /* @__PURE__ */ Schema.TaggedError<ForeignCallback>("tmdb-effect/ForeignCallback")("ForeignCallback", {
    /** Why the URL was refused (fixed text; never the URL). */
    reason: Schema.String
  })
{
  override get message(): string {
    return `This is not the callback of the TMDB login this page started (${this.reason}); start the login again`
  }
}

/**
 * This login's callback was already used (a reload or the back button on the return page):
 * each login completes once. Start a new login.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { RedirectLogin } from "tmdb-effect/browser"
 *
 * // on the return page: back(location.href)
 * const back = (href: string) => RedirectLogin.complete(href).pipe(
 *   Effect.catchTag("CallbackReplayed", () => Effect.succeed(null))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class CallbackReplayed
  extends /* @__PURE__ */ Schema.TaggedError<CallbackReplayed>("tmdb-effect/CallbackReplayed")(
    "CallbackReplayed",
    {}
  )
{
  override get message(): string {
    return "This TMDB login's callback was already used; start a new login"
  }
}

/**
 * The request token expired before the user came back (see `AuthV4.requestTokenLifetime` and
 * `Authentication.RequestToken`'s `expires_at`), or TMDB no longer accepts it. Start the login
 * again.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { RedirectLogin } from "tmdb-effect/browser"
 *
 * // on the return page: back(location.href)
 * const back = (href: string) => RedirectLogin.complete(href).pipe(
 *   Effect.catchTag("LoginExpired", (e) => Effect.fail(e.message))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class LoginExpired
  extends /* @__PURE__ */ Schema.TaggedError<LoginExpired>("tmdb-effect/LoginExpired")("LoginExpired", {})
{
  override get message(): string {
    return "The TMDB login expired before it was completed (or TMDB no longer accepts its request token); " +
      "start the login again"
  }
}

/**
 * Where a tab keeps its pending login between {@link start} and {@link complete}: a
 * `KeyValueStore` of its own, so it never mixes with the one your app provides. In a page,
 * {@link layerSessionStorage}; in tests, {@link layerMemory}.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { RedirectLogin } from "tmdb-effect/browser"
 *
 * const pending = Effect.flatMap(RedirectLogin.PendingStore, (kv) => kv.has(RedirectLogin.pendingKey))
 * ```
 *
 * @since 2.0.0
 * @category services
 */
export class PendingStore extends /* @__PURE__ */ Context.Service<PendingStore, KeyValueStore.KeyValueStore>()(
  "tmdb-effect/browser/PendingStore"
) {}

/**
 * The key of the pending login in the {@link PendingStore}.
 *
 * @example
 * ```ts
 * import { RedirectLogin } from "tmdb-effect/browser"
 *
 * // in a page: forget a login in progress
 * const forget = () => sessionStorage.removeItem(RedirectLogin.pendingKey)
 * ```
 *
 * @since 2.0.0
 * @category constructors
 */
export const pendingKey = Pending.pendingKey

/** The `PendingStore` over a `KeyValueStore` layer. */
const layerOver = (store: Layer.Layer<KeyValueStore.KeyValueStore>): Layer.Layer<PendingStore> =>
  Layer.effect(PendingStore, KeyValueStore.KeyValueStore).pipe(Layer.provide(store))

/**
 * The pending login in the tab's `sessionStorage`: it survives the trip to TMDB and back, and
 * no other tab or site sees it.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { BrowserSessionStore, RedirectLogin } from "tmdb-effect/browser"
 *
 * const BrowserLive = Layer.mergeAll(RedirectLogin.layerSessionStorage, BrowserSessionStore.layer())
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layerSessionStorage: Layer.Layer<PendingStore> = /* @__PURE__ */ layerOver(
  /* @__PURE__ */ KeyValueStore.layerStorage(() => sessionStorage)
)

/**
 * The pending login in memory, for tests (empty when the layer is built).
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { RedirectLogin } from "tmdb-effect/browser"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * // no page in a test: the return page's origin is allowed explicitly
 * const approvalUrl = RedirectLogin.start({
 *   returnTo: "http://127.0.0.1:5173/callback",
 *   allowedOrigins: ["http://127.0.0.1:5173"]
 * }).pipe(
 *   Effect.provide(Layer.mergeAll(TmdbSimulator.layer(), TmdbSimulator.credentials, RedirectLogin.layerMemory))
 * )
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layerMemory: Layer.Layer<PendingStore> = /* @__PURE__ */ layerOver(KeyValueStore.layerMemory)

/**
 * How a redirect login starts.
 *
 * @example
 * ```ts
 * import type { RedirectLogin } from "tmdb-effect/browser"
 *
 * // in a page on https://app.example: returnTo `${location.origin}/callback`
 * const options: RedirectLogin.StartOptions = { returnTo: "https://app.example/callback", version: "v3" }
 *
 * // a return page on another origin of yours, or no page at all (tests, server-side rendering)
 * const elsewhere: RedirectLogin.StartOptions = {
 *   returnTo: "https://login.app.example/callback",
 *   allowedOrigins: ["https://login.app.example"]
 * }
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export interface StartOptions {
  /**
   * Where TMDB sends the user back, with the approved request token: an absolute URL without
   * credentials, query or fragment, e.g. `${location.origin}/callback`. It must be https, or
   * http on a loopback host (127.0.0.1, [::1], localhost), and on the page's own origin
   * (`location.origin`) or one of {@link StartOptions.allowedOrigins}; anything else is
   * `InvalidInput` before any request. Never pass a URL taken from the page's address or another
   * untrusted source. The login appends `/<state>`: serve the page that calls {@link complete}
   * under that path.
   */
  readonly returnTo: string
  /**
   * Origins besides the page's own that `returnTo` may be on, each an origin alone, such as
   * `"https://login.app.example"` (https, or http on a loopback host). Required where there is
   * no `location` (tests, server-side rendering) or it is opaque (a `file:` page, a sandboxed
   * frame): there, only these origins are accepted.
   */
  readonly allowedOrigins?: ReadonlyArray<string> | undefined
  /**
   * `"v4"` (default): a v4 user access token; needs Bearer credentials. `"v3"`: a v3 session;
   * works with an api_key too.
   */
  readonly version?: "v3" | "v4" | undefined
}

/**
 * Everything {@link start} can fail with.
 *
 * @example
 * ```ts
 * import type { RedirectLogin } from "tmdb-effect/browser"
 *
 * const show = (error: RedirectLogin.StartError) => `${error._tag}: ${error.message}`
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export type StartError =
  | InvalidInput
  | SessionStoreError
  | Effect.Error<ReturnType<typeof startV4>>
  | Effect.Error<ReturnType<typeof startV3>>

/** The approved token, exchanged by the one flow: a v3 session or a v4 user access token, as a `Login`. */
const exchange = (pending: Pending.Pending, created_at: DateTime.Utc) =>
  (pending.version === "v4"
    ? Effect.map(
      exchangeV4(pending.request_token),
      (token) =>
        new Login({ kind: "v4AccessToken", session_id: token.access_token, account_id: token.account_id, created_at })
    )
    : Effect.map(
      exchangeV3(pending.request_token),
      (session) => new Login({ kind: "session", session_id: session.session_id, created_at })
    )).pipe(Effect.catchTag("InvalidRequestToken", () => Effect.fail(new LoginExpired())))

/**
 * Everything {@link complete} can fail with. After any of them, the user starts the login
 * again (a transport failure while exchanging the token included: a request token is used once).
 *
 * @example
 * ```ts
 * import type { RedirectLogin } from "tmdb-effect/browser"
 *
 * const show = (error: RedirectLogin.CompleteError) => `${error._tag}: ${error.message}`
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export type CompleteError =
  | NoPendingLogin
  | ForeignCallback
  | CallbackReplayed
  | LoginExpired
  | LoginDenied
  | CorruptedSession
  | SessionStoreError
  | Effect.Error<ReturnType<typeof exchange>>

/**
 * Starts a redirect login: creates a request token (v4 with `redirect_to`, or v3) whose approval
 * page sends the user back to `returnTo` followed by `/<state>` (a fresh random state), keeps the
 * token and the state in the {@link PendingStore}, and returns the approval URL on
 * `TmdbConfig.webUrl`; the page then navigates there. A second `start` replaces the first.
 *
 * The approved token travels to `returnTo`, so it must be https or loopback http, on the page's
 * own origin (`location.origin`) or one of `allowedOrigins` — which are required where there is
 * no `location`. Anything else is `InvalidInput` (field `returnTo`, or `allowedOrigins` for an
 * entry that is not an origin), before any request and before anything is stored.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { TmdbCredentials } from "tmdb-effect"
 * import { RedirectLogin } from "tmdb-effect/browser"
 * import { TmdbSimulator } from "tmdb-effect/testing"
 *
 * const BrowserLive = Layer.mergeAll(
 *   RedirectLogin.layerSessionStorage,
 *   TmdbCredentials.bearer("eyJ…"),
 *   FetchHttpClient.layer
 * )
 *
 * // in a page: back to this page's own origin
 * const logIn = Effect.suspend(() => RedirectLogin.start({ returnTo: `${location.origin}/callback` })).pipe(
 *   Effect.flatMap((url) => Effect.sync(() => location.assign(url))),
 *   Effect.provide(BrowserLive)
 * )
 *
 * // in a test there is no page: allowedOrigins say where the way back may go
 * const TestEnv = Layer.mergeAll(TmdbSimulator.layer(), TmdbSimulator.credentials, RedirectLogin.layerMemory)
 * const refused = RedirectLogin.start({
 *   returnTo: "https://evil.example/steal",
 *   allowedOrigins: ["https://app.example"]
 * }).pipe(Effect.flip, Effect.provide(TestEnv))
 * Effect.runPromise(refused).then((error) => console.log(error.message))
 * // Invalid returnTo: expected a URL on the page's own origin or on one of allowedOrigins
 * ```
 *
 * @since 2.0.0
 * @category flows
 */
export const start: (
  options: StartOptions
) => Effect.Effect<string, StartError, Authentication.Requirements | PendingStore> = /* @__PURE__ */ Effect.fn(
  "tmdb.RedirectLogin.start"
)(function*(options: StartOptions) {
  const returnTo = yield* returnUrl({ returnTo: options?.returnTo, allowedOrigins: options?.allowedOrigins })
  const store = yield* PendingStore
  const { webUrl } = yield* Effect.fromResult(check(yield* TmdbConfig))
  const state = yield* makeState
  const redirectTo = `${returnTo.origin}${callbackPath(returnTo.pathname, state)}`
  const version = options.version ?? "v4"
  const { expires_at, request_token, url } = version === "v4"
    ? yield* Effect.flatMap(startV4(redirectTo, webUrl), ({ token, url }) =>
      Effect.map(DateTime.now, (now) => ({
        request_token: token.request_token,
        url,
        expires_at: DateTime.addDuration(now, AuthV4.requestTokenLifetime)
      })))
    : yield* Effect.map(
      startV3(redirectTo, webUrl),
      ({ token, url }) => ({ request_token: token.request_token, url, expires_at: token.expires_at })
    )
  yield* Pending.save(
    store,
    new Pending.Pending({ version, request_token, state, returnTo, expires_at, used: false })
  )
  return url
})

/**
 * Completes a redirect login on the page TMDB sent the user back to, given that page's URL
 * (`location.href`). It must be the callback of the login this tab started — the same path and
 * origin, this login's state, and, if TMDB added a `request_token`, this login's — else
 * `ForeignCallback` and nothing is sent. A callback completes once (`CallbackReplayed` after);
 * `denied=true`, or a token TMDB says was not approved, is `LoginDenied`; a token past its
 * lifetime is `LoginExpired`; no login started in this tab is `NoPendingLogin`.
 *
 * Succeeds with the login to keep: kind `"v4AccessToken"` (the access token, `Redacted`, and v4's
 * `account_id`) or `"session"` (the v3 session id), ready for `SessionStore.save`.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { SessionStore, TmdbCredentials } from "tmdb-effect"
 * import { BrowserSessionStore, RedirectLogin } from "tmdb-effect/browser"
 *
 * // on the return page: back(location.href)
 * const back = (href: string) => Effect.gen(function*() {
 *   const login = yield* RedirectLogin.complete(href)
 *   yield* Effect.flatMap(SessionStore.SessionStore, (store) => store.save(login))
 *   history.replaceState(null, "", "/") // a reload is not a replay
 * }).pipe(
 *   Effect.provide(Layer.mergeAll(
 *     RedirectLogin.layerSessionStorage,
 *     BrowserSessionStore.layer(),
 *     TmdbCredentials.bearer("eyJ…"),
 *     FetchHttpClient.layer
 *   ))
 * )
 * ```
 *
 * @since 2.0.0
 * @category flows
 */
export const complete: (
  url: string
) => Effect.Effect<Login, CompleteError, Authentication.Requirements | PendingStore> = /* @__PURE__ */ Effect.fn(
  "tmdb.RedirectLogin.complete"
)(function*(url: string) {
  const store = yield* PendingStore
  const loaded = yield* Pending.load(store)
  if (Option.isNone(loaded)) return yield* new NoPendingLogin()
  const pending = loaded.value
  const href = typeof url === "string" ? url : ""
  // the origin of returnTo, scheme and port included (checked by start's rule, and again when loaded)
  if (parseUrl(href)?.origin !== pending.returnTo.origin) {
    return yield* new ForeignCallback({ reason: "not on the origin of the login's return URL" })
  }
  const outcome = checkCallback({
    path: pending.returnTo.pathname,
    state: pending.state,
    requestToken: pending.request_token,
    url: href,
    host: parseUrl(href)?.host,
    allowedHosts: [pending.returnTo.host]
  })
  if (Result.isFailure(outcome)) return yield* new ForeignCallback({ reason: outcome.failure.reason })
  if (pending.used) return yield* new CallbackReplayed()
  // Taken before TMDB is asked: a request token is used once, whatever the answer.
  yield* Pending.save(store, new Pending.Pending({ ...pending, used: true }))
  return yield* finish(
    outcome.success,
    Effect.gen(function*() {
      const now = yield* DateTime.now
      if (!DateTime.isLessThan(now, pending.expires_at)) return yield* new LoginExpired()
      return yield* exchange(pending, now)
    })
  )
})
