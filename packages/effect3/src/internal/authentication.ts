/**
 * TMDB's v3 authentication endpoints, declared once: the answers' schemas (fields in TMDB's wire
 * order) and, per endpoint, its method, path, success schema and the errors it can produce. The
 * client (`Authentication`) and the simulator both read these.
 */
import * as Schema from "effect/Schema"
import {
  AccountDisabled,
  EmailNotVerified,
  InvalidLogin,
  InvalidRequestToken,
  ResourceNotFound,
  SessionDenied
} from "../TmdbError.js"
import * as Http from "./endpoint.js"
import { ExpiresAt, SecretString } from "./schemas.js"

/**
 * The answer to `Authentication.validateKey`. TMDB sometimes sends `{ success: true }` alone.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const ok: Effect.Effect<boolean, unknown, Authentication.Requirements> = Effect.map(
 *   Authentication.validateKey(),
 *   (result: Authentication.KeyValidation) => result.success
 * )
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export class KeyValidation extends /* @__PURE__ */ Schema.Class<KeyValidation>("tmdb-effect/KeyValidation")({
  success: Schema.Boolean,
  status_code: Schema.optional(Schema.Int),
  status_message: Schema.optional(Schema.String)
}) {}

/**
 * A guest session: rate and list without a TMDB account, until `expires_at`.
 *
 * @example
 * ```ts
 * import { DateTime, Effect, Redacted } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const program = Effect.gen(function*() {
 *   const guest: Authentication.GuestSession = yield* Authentication.createGuestSession()
 *   const id = Redacted.value(guest.guest_session_id) // only where TMDB needs it
 *   const minutesLeft = DateTime.distance(yield* DateTime.now, guest.expires_at) / 60_000
 *   return { id, minutesLeft }
 * })
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export class GuestSession extends /* @__PURE__ */ Schema.Class<GuestSession>("tmdb-effect/GuestSession")({
  success: Schema.Boolean,
  /** The guest session id: a secret, so it is `Redacted`. */
  guest_session_id: SecretString,
  expires_at: ExpiresAt
}) {}

/**
 * A request token: approved by the user (in the browser or by password), then exchanged for a
 * session. Valid for 60 minutes, single use.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const url = Effect.map(
 *   Authentication.createRequestToken(),
 *   (token: Authentication.RequestToken) => Authentication.approvalUrl(token.request_token)
 * )
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export class RequestToken extends /* @__PURE__ */ Schema.Class<RequestToken>("tmdb-effect/RequestToken")({
  success: Schema.Boolean,
  expires_at: ExpiresAt,
  request_token: Schema.String.pipe(Schema.minLength(1))
}) {}

/**
 * A user session. The id is a secret (it acts as the user), so it is `Redacted`; it lives until
 * `Authentication.deleteSession`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const program = Effect.gen(function*() {
 *   const session: Authentication.Session = yield* Authentication.loginWithPassword({ username: "jo", password: "pw" })
 *   yield* Effect.log("logged in", session) // prints session_id as <redacted>
 *   return session.session_id
 * })
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export class Session extends /* @__PURE__ */ Schema.Class<Session>("tmdb-effect/Session")({
  success: Schema.Boolean,
  session_id: SecretString
}) {}

/**
 * The answer to `Authentication.deleteSession`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const loggedOut = Effect.map(
 *   Authentication.deleteSession({ session_id: "…" }),
 *   (result: Authentication.SessionDeleted) => result.success
 * )
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export class SessionDeleted extends /* @__PURE__ */ Schema.Class<SessionDeleted>("tmdb-effect/SessionDeleted")({
  success: Schema.Boolean
}) {}

export const validateKey = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Authentication.validateKey",
  method: "GET",
  path: "/3/authentication",
  success: KeyValidation
})

export const createGuestSession = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Authentication.createGuestSession",
  method: "GET",
  path: "/3/authentication/guest_session/new",
  success: GuestSession
})

export const createRequestToken = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Authentication.createRequestToken",
  method: "GET",
  path: "/3/authentication/token/new",
  success: RequestToken
})

export const createSessionWithLogin = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Authentication.createSessionWithLogin",
  method: "POST",
  path: "/3/authentication/token/validate_with_login",
  success: RequestToken,
  // 30: recorded (wrong password); 26, 31, 32, 45: TMDB's status-code page (missing
  // credentials, disabled, unverified, suspended); 33: TMDB's docs (expired or used token)
  errors: [InvalidLogin, AccountDisabled, EmailNotVerified, InvalidRequestToken]
})

export const createSession = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Authentication.createSession",
  method: "POST",
  path: "/3/authentication/session/new",
  success: Session,
  // 17: recorded (an unapproved token); 41: TMDB's status-code page (not approved);
  // 33: TMDB's docs (expired or used token)
  errors: [InvalidRequestToken, SessionDenied]
})

export const createSessionFromV4Token = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Authentication.createSessionFromV4Token",
  method: "POST",
  path: "/3/authentication/session/convert/4",
  success: Session
})

export const deleteSession = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.Authentication.deleteSession",
  method: "DELETE",
  path: "/3/authentication/session",
  success: SessionDeleted,
  goneAfterRetry: /* @__PURE__ */ new SessionDeleted({ success: true }),
  // 17: reported by peers' test suites for deleting an unknown session; 6, 34: TMDB's
  // status-code page (invalid id, resource not found) — what TMDB has answered for it over time
  errors: [ResourceNotFound, SessionDenied]
})
