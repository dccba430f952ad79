/**
 * Compile-time checks, run by `npm run typecheck`: each endpoint's error type lists only what it
 * can produce, so `catchTag` accepts exactly those tags; and each function's, flow's, layer's and
 * service method's union of tags equals 1.x's exactly. (Not a test file: nothing runs.)
 */
import { Effect, Redacted } from "effect"
import type { Layer } from "effect"
import type { HttpClient } from "effect/http"
import type { SessionStore } from "tmdb-effect"
import { Account, Authentication, AuthV4, TmdbAuth, TmdbSession } from "tmdb-effect"
import type { RedirectLogin } from "tmdb-effect/browser"

export const allowed = [
  Authentication.loginWithPassword({ username: "u", password: "p" }).pipe(
    Effect.catchTag("InvalidLogin", () => Effect.void),
    Effect.catchTag("AccountDisabled", () => Effect.void),
    Effect.catchTag("EmailNotVerified", () => Effect.void),
    Effect.catchTag("SessionDenied", () => Effect.void),
    Effect.catchTag("InvalidInput", () => Effect.void)
  ),
  Authentication.createSession({ request_token: "x" }).pipe(Effect.catchTag("SessionDenied", () => Effect.void)),
  Authentication.deleteSession({ session_id: "x" }).pipe(Effect.catchTag("ResourceNotFound", () => Effect.void)),
  // peers report 17 for deleting an unknown session
  Authentication.deleteSession({ session_id: "x" }).pipe(Effect.catchTag("SessionDenied", () => Effect.void)),
  Authentication.createGuestSession().pipe(Effect.catchTag("RateLimited", () => Effect.void)),
  Effect.flatMap(
    TmdbAuth.TmdbAuth,
    (tmdb) =>
      tmdb.authentication.loginWithPassword({ username: "u", password: "p" }).pipe(
        Effect.catchTag("InvalidLogin", () => Effect.void)
      )
  )
]

export const refused = [
  // @ts-expect-error a guest session can't fail with InvalidLogin
  Authentication.createGuestSession().pipe(Effect.catchTag("InvalidLogin", () => Effect.void)),
  // @ts-expect-error validateKey takes no input, so it can't fail with InvalidInput
  Authentication.validateKey().pipe(Effect.catchTag("InvalidInput", () => Effect.void)),
  // @ts-expect-error createSession can't fail with InvalidLogin
  Authentication.createSession({ request_token: "x" }).pipe(Effect.catchTag("InvalidLogin", () => Effect.void)),
  // @ts-expect-error account details can't fail with SessionDenied
  Account.details({ session_id: "x" }).pipe(Effect.catchTag("SessionDenied", () => Effect.void)),
  // @ts-expect-error v3 endpoints never need a Bearer token
  Authentication.createRequestToken().pipe(Effect.catchTag("BearerTokenRequired", () => Effect.void))
]

// The service's endpoints need nothing from the context.
export const provided: Effect.Effect<unknown, unknown, TmdbAuth.TmdbAuth> = Effect.flatMap(
  TmdbAuth.TmdbAuth,
  (tmdb) => tmdb.authentication.createRequestToken()
)

// v4: BearerTokenRequired is in every v4 error type, and each lists only its own errors.
export const allowedV4 = [
  AuthV4.createRequestToken().pipe(Effect.catchTag("BearerTokenRequired", () => Effect.void)),
  AuthV4.createAccessToken({ request_token: "x" }).pipe(
    Effect.catchTag("SessionDenied", () => Effect.void),
    Effect.catchTag("InvalidRequestToken", () => Effect.void),
    Effect.catchTag("BearerTokenRequired", () => Effect.void)
  ),
  AuthV4.deleteAccessToken({ access_token: "x" }).pipe(Effect.catchTag("ResourceNotFound", () => Effect.void)),
  AuthV4.deleteAccessToken({ access_token: "x" }).pipe(Effect.catchTag("SessionDenied", () => Effect.void)),
  AuthV4.loginToSession({ request_token: "x" }).pipe(
    Effect.catchTag("SessionDenied", () => Effect.void),
    Effect.catchTag("BearerTokenRequired", () => Effect.void)
  ),
  Account.details({ session_id: "x" }).pipe(
    AuthV4.withAccessToken("x"),
    Effect.catchTag("InvalidInput", () => Effect.void)
  ),
  Effect.flatMap(
    TmdbAuth.TmdbAuth,
    (tmdb) =>
      tmdb.v4.createAccessToken({ request_token: "x" }).pipe(Effect.catchTag("SessionDenied", () => Effect.void))
  )
]

export const refusedV4 = [
  // @ts-expect-error a v4 request token can't be refused as SessionDenied
  AuthV4.createRequestToken().pipe(Effect.catchTag("SessionDenied", () => Effect.void)),
  // @ts-expect-error deleting an access token can't fail with InvalidRequestToken
  AuthV4.deleteAccessToken({ access_token: "x" }).pipe(Effect.catchTag("InvalidRequestToken", () => Effect.void)),
  // @ts-expect-error createAccessToken can't fail with InvalidLogin
  AuthV4.createAccessToken({ request_token: "x" }).pipe(Effect.catchTag("InvalidLogin", () => Effect.void))
]

// withAccessToken provides the credentials: only the HTTP client is left to provide.
export const userCall: Effect.Effect<unknown, unknown, HttpClient.HttpClient> = Authentication.validateKey().pipe(
  AuthV4.withAccessToken("x")
)

// A bad TmdbConfig is InvalidConfig on every endpoint and flow.
const onInvalidConfig = () => Effect.void
export const invalidConfigEverywhere = [
  Authentication.validateKey().pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  Authentication.createGuestSession().pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  Authentication.createRequestToken().pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  Authentication.createSessionWithLogin({ username: "u", password: "p", request_token: "x" }).pipe(
    Effect.catchTag("InvalidConfig", onInvalidConfig)
  ),
  Authentication.createSession({ request_token: "x" }).pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  Authentication.createSessionFromV4Token({ access_token: "x" }).pipe(
    Effect.catchTag("InvalidConfig", onInvalidConfig)
  ),
  Authentication.deleteSession({ session_id: "x" }).pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  Authentication.loginWithPassword({ username: "u", password: "p" }).pipe(
    Effect.catchTag("InvalidConfig", onInvalidConfig)
  ),
  Account.details({ session_id: "x" }).pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  AuthV4.createRequestToken().pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  AuthV4.createAccessToken({ request_token: "x" }).pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  AuthV4.deleteAccessToken({ access_token: "x" }).pipe(Effect.catchTag("InvalidConfig", onInvalidConfig)),
  AuthV4.loginToSession({ request_token: "x" }).pipe(Effect.catchTag("InvalidConfig", onInvalidConfig))
]

// Exact error unions: each endpoint and flow fails with exactly the tags 1.x's does (taken from
// packages/effect3's types). `Equals` is strict both ways, so a tag added or lost fails `tsc`.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false
const exact = <A, B>(_proof: Equals<A, B>): void => undefined
type Tags<T> = Effect.Error<T> extends { readonly _tag: infer K } ? K : never
type TagsOf<F extends (...args: never) => unknown> = Tags<ReturnType<F>>

type Common =
  | "TmdbApiError"
  | "AuthenticationFailed"
  | "InvalidApiKey"
  | "TmdbUnavailable"
  | "RateLimited"
  | "TransportError"
  | "RateLimiterUnavailable"
  | "UnexpectedResponse"
  | "InvalidConfig"

type LayerTags<T extends Layer.Any> = Layer.Error<T> extends { readonly _tag: infer K } ? K : never

const _accountDetailsOfSession = Account.details()
const _accountDetailsOf = Account.details({ session_id: "x" })

export const exactUnions = [
  exact<TagsOf<typeof Authentication.validateKey>, Common>(true),
  exact<TagsOf<typeof Authentication.createGuestSession>, Common>(true),
  exact<TagsOf<typeof Authentication.createRequestToken>, Common>(true),
  exact<
    TagsOf<typeof Authentication.createSessionWithLogin>,
    Common | "InvalidLogin" | "AccountDisabled" | "EmailNotVerified" | "InvalidRequestToken" | "InvalidInput"
  >(true),
  exact<
    TagsOf<typeof Authentication.createSession>,
    Common | "SessionDenied" | "InvalidRequestToken" | "InvalidInput"
  >(true),
  exact<TagsOf<typeof Authentication.createSessionFromV4Token>, Common | "InvalidInput">(true),
  exact<
    TagsOf<typeof Authentication.deleteSession>,
    Common | "ResourceNotFound" | "SessionDenied" | "InvalidInput"
  >(true),
  exact<
    TagsOf<typeof Authentication.loginWithPassword>,
    | Common
    | "SessionDenied"
    | "InvalidLogin"
    | "AccountDisabled"
    | "EmailNotVerified"
    | "InvalidRequestToken"
    | "InvalidInput"
  >(true),
  exact<TagsOf<typeof AuthV4.createRequestToken>, Common | "InvalidInput" | "BearerTokenRequired">(true),
  exact<
    TagsOf<typeof AuthV4.createAccessToken>,
    Common | "SessionDenied" | "InvalidRequestToken" | "InvalidInput" | "BearerTokenRequired"
  >(true),
  exact<
    TagsOf<typeof AuthV4.deleteAccessToken>,
    Common | "ResourceNotFound" | "SessionDenied" | "InvalidInput" | "BearerTokenRequired"
  >(true),
  exact<
    TagsOf<typeof AuthV4.loginToSession>,
    Common | "SessionDenied" | "InvalidRequestToken" | "InvalidInput" | "BearerTokenRequired"
  >(true),
  exact<Tags<ReturnType<typeof Account.details>>, Common | "InvalidInput">(true),
  exact<Tags<typeof _accountDetailsOfSession>, Common | "InvalidInput">(true),
  exact<Tags<typeof _accountDetailsOf>, Common | "InvalidInput">(true),
  exact<Tags<typeof TmdbSession.accountId>, Common | "InvalidInput">(true),
  exact<
    Layer.Error<typeof TmdbSession.layerFromStore> extends { readonly _tag: infer K } ? K : never,
    Common | "InvalidInput" | "CorruptedSession" | "SessionStoreError" | "InsecureSessionFile" | "NoStoredSession"
  >(true),
  exact<
    TagsOf<typeof SessionStore.logout>,
    | Common
    | "ResourceNotFound"
    | "SessionDenied"
    | "InvalidInput"
    | "BearerTokenRequired"
    | "SessionStoreError"
    | "InsecureSessionFile"
  >(true),
  exact<
    SessionStore.LogoutError["_tag"],
    | Common
    | "ResourceNotFound"
    | "SessionDenied"
    | "InvalidInput"
    | "BearerTokenRequired"
    | "SessionStoreError"
    | "InsecureSessionFile"
  >(true)
]

// The TmdbSession layers built from a login: the login's errors, and what the layer adds.
declare const savedLogin: SessionStore.Login
const _fromPassword = TmdbSession.layerFromLogin(Authentication.loginWithPassword({ username: "u", password: "p" }))
const _fromSession = TmdbSession.layerFromLogin(Effect.succeed({ session_id: Redacted.make("s") }))
const _fromSaved = TmdbSession.layerFromLogin(Effect.succeed(savedLogin))
const _fromV4Login = TmdbSession.layerFromV4Login(AuthV4.loginToSession({ request_token: "x" }))
const _fromV4Token = TmdbSession.layerFromV4Login(Effect.succeed({ access_token: Redacted.make("t") }))

export const exactLayerUnions = [
  exact<
    LayerTags<typeof _fromPassword>,
    | Common
    | "SessionDenied"
    | "InvalidLogin"
    | "AccountDisabled"
    | "EmailNotVerified"
    | "InvalidRequestToken"
    | "InvalidInput"
  >(true),
  exact<Layer.Error<typeof _fromSession>, never>(true),
  exact<LayerTags<typeof _fromSaved>, Common | "InvalidInput" | "NoStoredSession">(true),
  exact<
    LayerTags<typeof _fromV4Login>,
    Common | "SessionDenied" | "InvalidRequestToken" | "InvalidInput" | "BearerTokenRequired"
  >(true),
  exact<LayerTags<typeof _fromV4Token>, Common | "InvalidInput">(true)
]

// The TmdbAuth service's methods fail exactly as the module functions they stand for.
type ServiceTags<F> = F extends (...args: never) => Effect.Effect<unknown, infer E> ?
  E extends { readonly _tag: infer K } ? K
  : never
  : never
type Service = TmdbAuth.Service
export const exactServiceUnions = [
  exact<ServiceTags<Service["authentication"]["validateKey"]>, TagsOf<typeof Authentication.validateKey>>(true),
  exact<
    ServiceTags<Service["authentication"]["createGuestSession"]>,
    TagsOf<typeof Authentication.createGuestSession>
  >(true),
  exact<
    ServiceTags<Service["authentication"]["createRequestToken"]>,
    TagsOf<typeof Authentication.createRequestToken>
  >(true),
  exact<
    ServiceTags<Service["authentication"]["createSessionWithLogin"]>,
    TagsOf<typeof Authentication.createSessionWithLogin>
  >(true),
  exact<ServiceTags<Service["authentication"]["createSession"]>, TagsOf<typeof Authentication.createSession>>(true),
  exact<
    ServiceTags<Service["authentication"]["createSessionFromV4Token"]>,
    TagsOf<typeof Authentication.createSessionFromV4Token>
  >(true),
  exact<ServiceTags<Service["authentication"]["deleteSession"]>, TagsOf<typeof Authentication.deleteSession>>(true),
  exact<
    ServiceTags<Service["authentication"]["loginWithPassword"]>,
    TagsOf<typeof Authentication.loginWithPassword>
  >(true),
  exact<ServiceTags<Service["v4"]["createRequestToken"]>, TagsOf<typeof AuthV4.createRequestToken>>(true),
  exact<ServiceTags<Service["v4"]["createAccessToken"]>, TagsOf<typeof AuthV4.createAccessToken>>(true),
  exact<ServiceTags<Service["v4"]["deleteAccessToken"]>, TagsOf<typeof AuthV4.deleteAccessToken>>(true),
  exact<ServiceTags<Service["v4"]["loginToSession"]>, TagsOf<typeof AuthV4.loginToSession>>(true),
  exact<ServiceTags<Service["account"]["details"]>, Common | "InvalidInput">(true)
]

// tmdb-effect/browser: the redirect login's flows fail with exactly 1.x's tags, and their
// published error types say the same.
type RedirectStartTags = Common | "InvalidInput" | "BearerTokenRequired" | "SessionStoreError"
type RedirectCompleteTags =
  | Common
  | "InvalidInput"
  | "BearerTokenRequired"
  | "NoPendingLogin"
  | "ForeignCallback"
  | "CallbackReplayed"
  | "LoginExpired"
  | "LoginDenied"
  | "CorruptedSession"
  | "SessionStoreError"
export const exactBrowserUnions = [
  exact<TagsOf<typeof RedirectLogin.start>, RedirectStartTags>(true),
  exact<RedirectLogin.StartError["_tag"], RedirectStartTags>(true),
  exact<TagsOf<typeof RedirectLogin.complete>, RedirectCompleteTags>(true),
  exact<RedirectLogin.CompleteError["_tag"], RedirectCompleteTags>(true)
]
