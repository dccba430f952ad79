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
 * @since 1.0.0
 */
import type * as PlatformError from "@effect/platform/Error"
import * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Authentication from "../Authentication.js"
import * as AuthV4 from "../AuthV4.js"
import { approval } from "../internal/approval.js"
import { requestTokenLifetime } from "../internal/authV4.js"
import { callbackPath, checkCallback, makeState } from "../internal/callback.js"
import { check } from "../internal/config.js"
import { text } from "../internal/input.js"
import { LoginDenied } from "../internal/loginDenied.js"
import { isSecureOrLoopback, pageOrigin, secureOrLoopbackRule } from "../internal/origin.js"
import { isHttp } from "../internal/url.js"
import { CorruptedSession, Login, SessionStoreError } from "../SessionStore.js"
import { TmdbConfig } from "../TmdbConfig.js"
import { InvalidInput } from "../TmdbError.js"

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
   * @since 1.0.0
   * @category errors
   */
  LoginDenied
} from "../internal/loginDenied.js"

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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * The request token expired before the user came back (see its lifetime on `AuthV4.RequestToken`
 * and `Authentication.RequestToken`), or TMDB no longer accepts it. Start the login again.
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
 * @since 1.0.0
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
 * @since 1.0.0
 * @category tags
 */
export class PendingStore extends /* @__PURE__ */ Context.Tag("tmdb-effect/browser/PendingStore")<
  PendingStore,
  KeyValueStore.KeyValueStore
>() {}

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
 * @since 1.0.0
 * @category constructors
 */
export const pendingKey = "tmdb-effect/pending-login"

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
 * @since 1.0.0
 * @category layers
 */
export const layerSessionStorage: Layer.Layer<PendingStore> = /* @__PURE__ */ Layer.effect(
  PendingStore,
  KeyValueStore.KeyValueStore
).pipe(Layer.provide(KeyValueStore.layerStorage(() => sessionStorage)))

/**
 * The pending login in memory, for tests (empty when the layer is built).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { RedirectLogin } from "tmdb-effect/browser"
 *
 * // no page in a test: the return page's origin is allowed explicitly
 * const test = RedirectLogin.start({
 *   returnTo: "http://127.0.0.1:5173/callback",
 *   allowedOrigins: ["http://127.0.0.1:5173"]
 * }).pipe(
 *   Effect.provide(RedirectLogin.layerMemory)
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerMemory: Layer.Layer<PendingStore> = /* @__PURE__ */ Layer.effect(
  PendingStore,
  KeyValueStore.KeyValueStore
).pipe(Layer.provide(KeyValueStore.layerMemory))

/** What the way back needs. The request token is not a secret (it is in the approval URL). */
class Pending extends /* @__PURE__ */ Schema.Class<Pending>("tmdb-effect/browser/Pending")({
  version: Schema.Literal("v3", "v4"),
  request_token: Schema.String,
  state: Schema.String,
  /**
   * The return URL given to {@link start}, without the state: a stored one that is neither https
   * nor loopback http is corrupted.
   */
  returnTo: /* @__PURE__ */ Schema.URL.pipe(
    Schema.filter(isSecureOrLoopback, {
      message: () => `expected ${secureOrLoopbackRule}`
    })
  ),
  expires_at: Schema.DateTimeUtc,
  /** Set when {@link complete} took it: a second callback is a replay. */
  used: Schema.Boolean
}) {}

const PendingJson = /* @__PURE__ */ Schema.parseJson(Pending)
const storedAt = `sessionStorage key "${pendingKey}"`

const storeError = (operation: "load" | "save") => (error: PlatformError.PlatformError) =>
  new SessionStoreError({ operation, location: storedAt, reason: `${error._tag}: ${error.method}` })

const savePending = (store: KeyValueStore.KeyValueStore, pending: Pending) =>
  Schema.encode(PendingJson)(pending).pipe(
    Effect.orDie, // a Pending always encodes
    Effect.flatMap((text) => store.set(pendingKey, text)),
    Effect.mapError(storeError("save"))
  )

const loadPending = (store: KeyValueStore.KeyValueStore) =>
  store.get(pendingKey).pipe(
    Effect.mapError(storeError("load")),
    Effect.flatMap((text): Effect.Effect<Pending, NoPendingLogin | CorruptedSession> =>
      Option.isNone(text)
        ? Effect.fail(new NoPendingLogin())
        : Schema.decode(PendingJson)(text.value).pipe(
          Effect.mapError(() => new CorruptedSession({ location: storedAt, reason: "not a pending login" }))
        )
    )
  )

const parseUrl = (value: string): URL | undefined => {
  try {
    return new URL(value)
  } catch {
    return undefined
  }
}

const refuse = (field: "returnTo" | "allowedOrigins", reason: string) =>
  Effect.fail(new InvalidInput({ field, reason }))

/** An entry of `allowedOrigins`: an origin alone (a trailing `/` aside; no wildcard), as the URL parser spells it. */
const allowedOrigin = (entry: unknown): string | undefined => {
  const checked = text("allowedOrigins", entry)
  if (Either.isLeft(checked) || /[?#*]/.test(checked.right)) return undefined
  const url = parseUrl(checked.right)
  return url !== undefined && isSecureOrLoopback(url) && url.pathname === "/" && url.username === "" &&
      url.password === ""
    ? url.origin
    : undefined
}

/**
 * The return URL: absolute, https or loopback http, without credentials, query or fragment (TMDB
 * appends its own query to v3's), on the page's own origin or one of `allowedOrigins` — the
 * approved request token travels to it. Reasons are fixed text: never the value.
 */
const returnUrl = (options: StartOptions | undefined): Effect.Effect<URL, InvalidInput> =>
  Effect.suspend(() => {
    const allowed: unknown = options?.allowedOrigins
    const origins: Array<string> = []
    if (allowed !== undefined) {
      if (!Array.isArray(allowed)) {
        return refuse("allowedOrigins", "expected an array of origins (scheme, host and port)")
      }
      for (const entry of allowed) {
        const origin = allowedOrigin(entry)
        if (origin === undefined) {
          return refuse(
            "allowedOrigins",
            `each must be an origin alone (scheme, host and port; ${secureOrLoopbackRule}), ` +
              "without path, query, fragment, credentials or wildcard"
          )
        }
        origins.push(origin)
      }
    }
    const value = options?.returnTo
    const checked = text("returnTo", value)
    if (Either.isLeft(checked)) return Effect.fail(checked.left)
    const url = parseUrl(checked.right)
    if (
      url === undefined || !isHttp(url) || url.search !== "" || url.hash !== "" || checked.right.includes("#") ||
      url.username !== "" || url.password !== ""
    ) {
      return refuse("returnTo", "expected an absolute http(s) URL without credentials, query or fragment")
    }
    if (!isSecureOrLoopback(url)) {
      return refuse("returnTo", `expected ${secureOrLoopbackRule}: the approved token must not travel in the clear`)
    }
    const page = pageOrigin()
    if (page === undefined && allowed === undefined) {
      return refuse(
        "returnTo",
        "there is no page origin to check it against (no globalThis.location, as in tests or server-side " +
          "rendering): pass allowedOrigins"
      )
    }
    return url.origin === page || origins.includes(url.origin)
      ? Effect.succeed(url)
      : refuse("returnTo", "expected a URL on the page's own origin or on one of allowedOrigins")
  })

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
 * @since 1.0.0
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
 * @since 1.0.0
 * @category errors
 */
export type StartError =
  | InvalidInput
  | SessionStoreError
  | Effect.Effect.Error<ReturnType<typeof AuthV4.createRequestToken>>
  | Effect.Effect.Error<ReturnType<typeof Authentication.createRequestToken>>

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
 * @since 1.0.0
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
  | Effect.Effect.Error<ReturnType<typeof exchange>>

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
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
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
 * @since 1.0.0
 * @category flows
 */
export const start: (
  options: StartOptions
) => Effect.Effect<string, StartError, Authentication.Requirements | PendingStore> = /* @__PURE__ */ Effect.fn(
  "tmdb.RedirectLogin.start"
)(function*(options: StartOptions) {
  const returnTo = yield* returnUrl(options)
  const store = yield* PendingStore
  const { webUrl } = yield* check(yield* TmdbConfig)
  const state = yield* makeState
  const redirectTo = `${returnTo.origin}${callbackPath(returnTo.pathname, state)}`
  const version = options.version ?? "v4"
  const { expires_at, request_token, url } = version === "v4"
    ? yield* Effect.flatMap(AuthV4.createRequestToken({ redirect_to: redirectTo }), (token) =>
      Effect.all({
        request_token: Effect.succeed(token.request_token),
        url: approval(() => AuthV4.approvalUrl(token.request_token, { webUrl })),
        expires_at: Effect.map(DateTime.now, DateTime.addDuration(requestTokenLifetime))
      }))
    : yield* Effect.flatMap(Authentication.createRequestToken(), (token) =>
      Effect.all({
        request_token: Effect.succeed(token.request_token),
        url: approval(() => Authentication.approvalUrl(token.request_token, { redirectTo, webUrl })),
        expires_at: Effect.succeed(token.expires_at)
      }))
  yield* savePending(
    store,
    new Pending({ version, request_token, state, returnTo, expires_at, used: false })
  )
  return url
})

/** The host of an absolute URL, if it is one. */
const hostOf = (url: string): string | undefined => parseUrl(url)?.host

/** The approved token, exchanged: a v3 session or a v4 user access token, as a `Login`. */
const exchange = (pending: Pending, created_at: DateTime.Utc) =>
  (pending.version === "v4"
    ? Effect.map(
      AuthV4.createAccessToken({ request_token: pending.request_token }),
      (token) =>
        new Login({ kind: "v4AccessToken", session_id: token.access_token, account_id: token.account_id, created_at })
    )
    : Effect.map(
      Authentication.createSession({ request_token: pending.request_token }),
      (session) => new Login({ kind: "session", session_id: session.session_id, created_at })
    )).pipe(
      Effect.catchTags({
        SessionDenied: () => Effect.fail(new LoginDenied()),
        InvalidRequestToken: () => Effect.fail(new LoginExpired())
      })
    )

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
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
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
 * @since 1.0.0
 * @category flows
 */
export const complete: (
  url: string
) => Effect.Effect<Login, CompleteError, Authentication.Requirements | PendingStore> = /* @__PURE__ */ Effect.fn(
  "tmdb.RedirectLogin.complete"
)(function*(url: string) {
  const store = yield* PendingStore
  const pending = yield* loadPending(store)
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
    host: hostOf(href),
    allowedHosts: [pending.returnTo.host]
  })
  if (Either.isLeft(outcome)) return yield* new ForeignCallback({ reason: outcome.left.reason })
  if (pending.used) return yield* new CallbackReplayed()
  // Taken before TMDB is asked: a request token is used once, whatever the answer.
  yield* savePending(store, new Pending({ ...pending, used: true }))
  if (outcome.right === "denied") return yield* new LoginDenied()
  const now = yield* DateTime.now
  if (!DateTime.lessThan(now, pending.expires_at)) return yield* new LoginExpired()
  return yield* exchange(pending, now)
})
