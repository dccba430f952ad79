/**
 * TMDB's v4 authentication endpoints, declared once: the answers' schemas (fields in TMDB's wire
 * order) and, per endpoint, its method, path, success schema and the errors it can produce. All
 * of them accept only a Bearer token. The client (`AuthV4`) and the simulator both read these.
 */
import * as Duration from "effect/Duration"
import * as Schema from "effect/Schema"
import { InvalidRequestToken, ResourceNotFound, SessionDenied } from "../TmdbError.js"
import * as Http from "./endpoint.js"
import { SecretString } from "./schemas.js"

/** How long a v4 request token lives (its JWT's `exp - nbf`); its answer carries no `expires_at`. */
export const requestTokenLifetime: Duration.Duration = /* @__PURE__ */ Duration.minutes(15)

/**
 * A v4 request token (a JWT): the user approves it at `AuthV4.approvalUrl`, then
 * `AuthV4.createAccessToken` exchanges it, once, within {@link requestTokenLifetime}.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { AuthV4 } from "tmdb-effect"
 *
 * const url = Effect.map(
 *   AuthV4.createRequestToken(),
 *   (token: AuthV4.RequestToken) => AuthV4.approvalUrl(token.request_token)
 * )
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export class RequestToken extends /* @__PURE__ */ Schema.Class<RequestToken>("tmdb-effect/AuthV4/RequestToken")({
  status_message: Schema.optional(Schema.String),
  request_token: Schema.String.pipe(Schema.minLength(1)),
  success: Schema.Boolean,
  status_code: Schema.optional(Schema.Int)
}) {}

/**
 * A v4 user access token: it acts as the user (so it is `Redacted`) and lives until
 * `AuthV4.deleteAccessToken`. `account_id` is v4's string id, not the v3 integer account id.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { AuthV4 } from "tmdb-effect"
 *
 * const accountId = Effect.map(
 *   AuthV4.createAccessToken({ request_token: "eyJ…" }),
 *   (token: AuthV4.AccessToken) => token.account_id
 * )
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export class AccessToken extends /* @__PURE__ */ Schema.Class<AccessToken>("tmdb-effect/AuthV4/AccessToken")({
  /** The v4 account id, e.g. `"4bc8892a017a3c0f92000002"`. */
  account_id: Schema.String.pipe(Schema.minLength(1)),
  /** The user access token: a Bearer credential for the user, so it is `Redacted`. */
  access_token: SecretString,
  success: Schema.Boolean,
  status_message: Schema.optional(Schema.String),
  status_code: Schema.optional(Schema.Int)
}) {}

/**
 * The answer to `AuthV4.deleteAccessToken`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { AuthV4 } from "tmdb-effect"
 *
 * const loggedOut = Effect.map(
 *   AuthV4.deleteAccessToken({ access_token: "eyJ…" }),
 *   (result: AuthV4.AccessTokenDeleted) => result.success
 * )
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export class AccessTokenDeleted
  extends /* @__PURE__ */ Schema.Class<AccessTokenDeleted>("tmdb-effect/AuthV4/AccessTokenDeleted")({
    status_message: Schema.optional(Schema.String),
    success: Schema.Boolean,
    status_code: Schema.optional(Schema.Int)
  })
{}

export const createRequestToken = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.AuthV4.createRequestToken",
  method: "POST",
  path: "/4/auth/request_token",
  success: RequestToken,
  bearerOnly: true
})

/** One resource, two endpoints: a user access token is created by POST and deleted by DELETE. */
const accessTokenPath = "/4/auth/access_token"

export const createAccessToken = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.AuthV4.createAccessToken",
  method: "POST",
  path: accessTokenPath,
  success: AccessToken,
  // 33: reported by peers for an unapproved or expired v4 token; 41: TMDB's status-code page
  errors: [InvalidRequestToken, SessionDenied],
  bearerOnly: true
})

export const deleteAccessToken = /* @__PURE__ */ Http.endpoint({
  span: "tmdb.AuthV4.deleteAccessToken",
  method: "DELETE",
  path: accessTokenPath,
  success: AccessTokenDeleted,
  goneAfterRetry: /* @__PURE__ */ new AccessTokenDeleted({ success: true }),
  // as for the v3 logout: 6, 34 (not found) and 17 (session denied) for an unknown token
  errors: [ResourceNotFound, SessionDenied],
  bearerOnly: true
})
