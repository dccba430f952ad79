/**
 * After login: the logged-in user's v3 session as a service, so account-level code (favourites,
 * watchlist, ratings, lists — TMDB's `/3/account/{account_id}/…` endpoints, and
 * `Account.details()`) requires `TmdbSession` instead of threading `session_id` by hand.
 *
 * Layers: from any login Effect ({@link layerFromLogin}, {@link layerFromV4Login}), from the
 * `SessionStore` ({@link layerFromStore}), or from a value ({@link layer}). The session id stays
 * `Redacted`: logging, inspecting or serialising the service never shows it.
 *
 * @since 2.0.0
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Account from "./Account.js"
import * as Authentication from "./Authentication.js"
import * as AuthV4 from "./AuthV4.js"
import * as Input from "./internal/client/input.js"
import type * as Session from "./internal/client/session.js"
import { TmdbSession } from "./internal/client/session.js"
import { sessionFromAccessToken } from "./internal/login/v4Session.js"
import { Kind, type Login, SessionStore } from "./SessionStore.js"
import type { StoreError } from "./SessionStore.js"
import { InvalidInput } from "./TmdbError.js"

/**
 * What the {@link TmdbSession} service holds:
 * - `session_id: Redacted.Redacted<string>`, the v3 session id (it renders as `<redacted>` in
 *   logs, `inspect` and JSON);
 * - `account_id: Option.Option<number>`, the v3 account id (the integer in
 *   `/3/account/{account_id}/…`) when known: a login does not return it, and {@link accountId}
 *   asks TMDB when it is not known.
 *
 * @example
 * ```ts
 * import { Option } from "effect"
 * import type { TmdbSession } from "tmdb-effect"
 *
 * const describe = (session: TmdbSession.Service) =>
 *   Option.match(session.account_id, { onNone: () => "account not known yet", onSome: (id) => `account #${id}` })
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export type Service = Session.Service

export {
  /**
   * The logged-in user's session, for account-level calls. Provide it with one of the layers of
   * this module; `Account.details()` and your own account calls read it.
   *
   * @example
   * ```ts
   * import { Effect, Redacted } from "effect"
   * import { TmdbSession } from "tmdb-effect"
   *
   * // the session id as a request needs it: Redacted.value only where it goes on the wire
   * const sessionParam = Effect.map(TmdbSession.TmdbSession, (session) => ({
   *   session_id: Redacted.value(session.session_id)
   * }))
   * ```
   *
   * @since 2.0.0
   * @category services
   */
  TmdbSession
} from "./internal/client/session.js"

/**
 * There is no user session in the `SessionStore` to make a {@link TmdbSession} from: nothing is
 * stored (or a guest session that has expired), or what is stored is a guest session, which
 * cannot make account calls (as is a guest `SessionStore.Login` given to {@link layerFromLogin}).
 * Log in and save the session, then try again.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { Authentication, TmdbSession } from "tmdb-effect"
 *
 * // the stored session, else a new password login
 * const SessionLive = TmdbSession.layerFromStore.pipe(
 *   Layer.catch(() =>
 *     TmdbSession.layerFromLogin(Authentication.loginWithPassword({ username: "jo", password: "secret" }))
 *   )
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class NoStoredSession
  extends /* @__PURE__ */ Schema.TaggedError<NoStoredSession>("tmdb-effect/NoStoredSession")("NoStoredSession", {
    /** What the store holds instead: nothing (or an expired login), or a guest session. */
    found: Schema.Literals(["nothing", "guest session"])
  })
{
  override get message(): string {
    return this.found === "guest session"
      ? "The TMDB login is a guest session, which cannot make account calls; log in as a user"
      : "No TMDB login is stored; log in (e.g. tmdb-auth login) and save the session first"
  }
}

/**
 * Builds the service from a session id (`string` or `Redacted`) and, when known, the v3 account
 * id. A session id that is empty, has whitespace or control characters, or an account id that is
 * not a positive integer, is `InvalidInput` (naming the field, never the value).
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { TmdbSession } from "tmdb-effect"
 *
 * const session = TmdbSession.make({ session_id: Redacted.make("79191836ddaa0da3df76a5ffef6f07ad6ab0c641"), account_id: 1000 })
 * ```
 *
 * @since 2.0.0
 * @category constructors
 */
export const make = (input: {
  readonly session_id: string | Redacted.Redacted<string>
  readonly account_id?: number | undefined
}): Effect.Effect<Service, InvalidInput> =>
  Effect.gen(function*() {
    const session_id = yield* Effect.fromResult(Input.secretToken("session_id", input?.session_id))
    const account_id = input?.account_id
    if (account_id !== undefined && !(Number.isSafeInteger(account_id) && account_id > 0)) {
      return yield* Effect.fail(new InvalidInput({ field: "account_id", reason: "expected a positive integer" }))
    }
    const service: Service = { session_id, account_id: Option.fromUndefinedOr(account_id) }
    return service
  })

/**
 * Provides {@link TmdbSession} from a session id you already have (e.g. from your own store)
 * and, when known, the v3 account id. Checked as {@link make}.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Account, TmdbSession } from "tmdb-effect"
 *
 * const who = Account.details().pipe(
 *   Effect.provide(TmdbSession.layer({ session_id: Redacted.make("79191836ddaa0da3df76a5ffef6f07ad6ab0c641") }))
 * )
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layer = (input: {
  readonly session_id: string | Redacted.Redacted<string>
  readonly account_id?: number | undefined
}): Layer.Layer<TmdbSession, InvalidInput> => Layer.effect(TmdbSession, make(input))

type ConversionError = Effect.Error<ReturnType<typeof Authentication.createSessionFromV4Token>>

/**
 * The service for a `SessionStore.Login`: a user session as it is (with its v3 account id), a v4
 * access token converted to a fresh v3 session (the token itself kept), a guest session refused.
 */
const fromSavedLogin = (
  login: Login
): Effect.Effect<Service, NoStoredSession | ConversionError, Authentication.Requirements> => {
  switch (login.kind) {
    case "guest":
      return Effect.fail(new NoStoredSession({ found: "guest session" }))
    case "v4AccessToken":
      return Effect.map(
        Authentication.createSessionFromV4Token({ access_token: login.session_id }),
        (session): Service => ({ session_id: session.session_id, account_id: Option.none() })
      )
    case "session":
      // a number is v3's account id; v4's is a string, which v3 paths don't take
      return Effect.succeed({
        session_id: login.session_id,
        account_id: typeof login.account_id === "number" ? Option.some(login.account_id) : Option.none()
      })
  }
}

/**
 * `Then` when a login's value may be a `SessionStore.Login` (alone or in a union, as from
 * `cond ? RedirectLogin.complete(url) : Authentication.createSession(token)`), else `never`.
 */
type IfSavedLogin<A, Then> = [Extract<A, Login>] extends [never] ? never : Then

/** A `SessionStore.Login` (by its `kind`: the class is structural, so a plain object can be one). */
const isSavedLogin = (value: { readonly session_id: Redacted.Redacted<string> }): value is Login =>
  "kind" in value && Schema.is(Kind)(value.kind)

/**
 * Provides {@link TmdbSession} from a login, run when the layer is built: any Effect that
 * succeeds with a v3 `session_id` — `Authentication.loginWithPassword`,
 * `Authentication.createSession`, `AuthV4.loginToSession` — whose account id is not known yet
 * ({@link accountId} asks for it); or with a `SessionStore.Login`, used as
 * {@link layerFromStore} uses a stored one: a v4 access token is converted to a
 * v3 session (the token is kept: save it to log out later), a guest session is `NoStoredSession`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account, Authentication, TmdbSession } from "tmdb-effect"
 *
 * const SessionLive = TmdbSession.layerFromLogin(
 *   Authentication.loginWithPassword({ username: "jo", password: "secret" })
 * )
 * const program = Account.details().pipe(Effect.provide(SessionLive))
 *
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export function layerFromLogin<A extends { readonly session_id: Redacted.Redacted<string> }, E, R>(
  login: Effect.Effect<A, E, R>
): Layer.Layer<
  TmdbSession,
  E | IfSavedLogin<A, NoStoredSession | ConversionError>,
  R | IfSavedLogin<A, Authentication.Requirements>
>
export function layerFromLogin<E, R>(
  login: Effect.Effect<{ readonly session_id: Redacted.Redacted<string> }, E, R>
): Layer.Layer<TmdbSession, E | NoStoredSession | ConversionError, R | Authentication.Requirements> {
  return Layer.effect(
    TmdbSession,
    Effect.flatMap(
      login,
      (value) =>
        isSavedLogin(value)
          ? fromSavedLogin(value)
          : Effect.succeed<Service>({ session_id: value.session_id, account_id: Option.none() })
    )
  )
}

/**
 * Provides {@link TmdbSession} from a v4 login, run when the layer is built: its user access
 * token is converted to a v3 session (`Authentication.createSessionFromV4Token`), as
 * `AuthV4.loginToSession` does — unless the login already carries one (`AuthV4.TokenAndSession`).
 * If the conversion fails, the access token the login just created is deleted (best effort), so
 * none is left behind. Takes `AuthV4.createAccessToken` or `AuthV4.loginToSession`. The v4 `account_id` is not the v3 account id,
 * so the account id is not known yet.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account, AuthV4, TmdbSession } from "tmdb-effect"
 *
 * // a v4 request token the user approved at AuthV4.approvalUrl(request_token)
 * const SessionLive = (request_token: string) =>
 *   TmdbSession.layerFromV4Login(AuthV4.createAccessToken({ request_token }))
 * const program = (request_token: string) => Account.details().pipe(Effect.provide(SessionLive(request_token)))
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layerFromV4Login = <E, R>(
  login: Effect.Effect<
    { readonly access_token: Redacted.Redacted<string>; readonly session_id?: Redacted.Redacted<string> | undefined },
    E,
    R
  >
): Layer.Layer<TmdbSession, E | ConversionError, R | Authentication.Requirements> =>
  Layer.effect(
    TmdbSession,
    Effect.flatMap(login, ({ access_token, session_id }) =>
      session_id !== undefined
        ? Effect.succeed<Service>({ session_id, account_id: Option.none() })
        : Effect.map(
          sessionFromAccessToken(access_token, {
            createSessionFromV4Token: Authentication.createSessionFromV4Token,
            deleteAccessToken: AuthV4.deleteAccessToken
          }),
          (session): Service => ({ session_id: session.session_id, account_id: Option.none() })
        ))
  )

/**
 * Provides {@link TmdbSession} from the login in the `SessionStore`, read when the layer is
 * built:
 * - a v3 user session is used as it is, with its account id when the store has the v3 one;
 * - a v4 access token is converted to a fresh v3 session
 *   (`Authentication.createSessionFromV4Token`) at each build; the stored token is kept
 *   whatever happens (`AuthV4.deleteAccessToken` logs it out);
 * - a guest session cannot make account calls: `NoStoredSession` with `found: "guest session"`;
 * - nothing stored (or an expired guest session): `NoStoredSession` with `found: "nothing"`.
 *
 * A store that cannot be read fails with its own error (`CorruptedSession`, `SessionStoreError`,
 * `InsecureSessionFile`).
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "effect/http"
 * import { Effect, Layer } from "effect"
 * import { Account, SessionStore, TmdbCredentials, TmdbSession } from "tmdb-effect"
 *
 * const Env = Layer.mergeAll(SessionStore.layerMemory, TmdbCredentials.layerConfig, FetchHttpClient.layer)
 * const program = Account.details().pipe(
 *   Effect.provide(TmdbSession.layerFromStore),
 *   Effect.catchTag("NoStoredSession", (e) => Effect.fail(e.message)),
 *   Effect.provide(Env)
 * )
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layerFromStore: Layer.Layer<
  TmdbSession,
  NoStoredSession | StoreError | ConversionError,
  SessionStore | Authentication.Requirements
> = /* @__PURE__ */ Layer.effect(
  TmdbSession,
  Effect.gen(function*() {
    const store = yield* SessionStore
    const stored = yield* store.load
    if (Option.isNone(stored)) return yield* new NoStoredSession({ found: "nothing" })
    return yield* fromSavedLogin(stored.value)
  })
)

/**
 * The v3 account id of the session in context: the one {@link TmdbSession} knows, else asked
 * of TMDB with `Account.details()` (one request each time it is not known; a {@link layer} built
 * with `account_id` never asks).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbSession } from "tmdb-effect"
 *
 * const favoritesPath = Effect.map(TmdbSession.accountId, (id) => `/3/account/${id}/favorite/movies`)
 * ```
 *
 * @since 2.0.0
 * @category accessors
 */
export const accountId: Effect.Effect<
  number,
  Effect.Error<ReturnType<typeof Account.details>>,
  TmdbSession | Authentication.Requirements
> = /* @__PURE__ */ Effect.flatMap(TmdbSession, (session) =>
  Option.match(session.account_id, {
    onSome: Effect.succeed,
    onNone: () => Effect.map(Account.details({ session_id: session.session_id }), (account) => account.id)
  }))
