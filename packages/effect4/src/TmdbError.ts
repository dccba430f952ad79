/**
 * TMDB's status-code table and the tagged errors every endpoint fails with, each listed once:
 * the unions (`TmdbError`, `CommonError`, `EndpointError`) and the Schema union come from the
 * lists below, and what the library needs to know of an error (may the request be repeated?
 * is the session gone?) is one table keyed by its tag, which the compiler checks is complete.
 *
 * TMDB answers errors as `{ success: false, status_code, status_message }` (sometimes with
 * `failure: true`) or as `{ errors: ["…"] }`; the `status_code` (else the HTTP status) picks
 * the tag. Errors raised locally (`InvalidInput`, `InvalidCredentialsFormat`,
 * `BearerTokenRequired`, `InvalidConfig`) fail before any request is sent. No error ever holds a
 * secret: server text that quotes one, in any spelling, is withheld whole.
 *
 * @since 2.0.0
 */
import * as Duration from "effect/Duration"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * Marks every error this library fails with.
 *
 * @example
 * ```ts
 * import { TmdbError } from "tmdb-effect"
 *
 * const marked = (u: object) => TmdbError.TypeId in u
 * ```
 *
 * @since 2.0.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("tmdb-effect/TmdbError")

/**
 * The type of {@link TypeId}.
 *
 * @example
 * ```ts
 * import type { TmdbError } from "tmdb-effect"
 *
 * type Marked = { readonly [K in TmdbError.TypeId]: K }
 * ```
 *
 * @since 2.0.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * One documented TMDB `status_code`.
 *
 * @example
 * ```ts
 * import type { TmdbError } from "tmdb-effect"
 *
 * const summary = (code: TmdbError.StatusCode) => `${code.status_code} ${code.reason} (HTTP ${code.httpStatus})`
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export interface StatusCode {
  readonly status_code: number
  readonly httpStatus: number
  /** A PascalCase name for the code, unique in the table. */
  readonly reason: string
  /** The message TMDB documents for the code. */
  readonly status_message: string
  /**
   * The error an answer with this code fails with. An endpoint-specific tag (e.g. `InvalidLogin`)
   * on an endpoint that does not list it becomes `TmdbApiError`, so error types stay honest.
   */
  readonly tag: StatusCodeTag
  /** TMDB says with it that the session (or v4 access token) is unknown or invalid: gone. */
  readonly sessionGone: boolean
}

/**
 * The tags of the errors a TMDB `status_code` can stand for.
 *
 * @example
 * ```ts
 * import { TmdbError } from "tmdb-effect"
 *
 * const tag: TmdbError.StatusCodeTag | undefined = TmdbError.statusCodes.get(33)?.tag // "InvalidRequestToken"
 * ```
 *
 * @since 2.0.0
 * @category status codes
 */
export type StatusCodeTag = (typeof table)[number][4]

/**
 * TMDB's documented status codes: code, HTTP status, reason, message, the error tag, and whether
 * TMDB says with it that the session (or v4 access token) is gone. Where a tag is specific to
 * some endpoints, where it came from is noted on those endpoints' declarations.
 */
const table = [
  [1, 200, "Success", "Success.", "TmdbApiError", false],
  [2, 501, "InvalidService", "Invalid service: this service does not exist.", "TmdbApiError", false],
  [
    3,
    401,
    "PermissionDenied",
    "Authentication failed: You do not have permissions to access the service.",
    "AuthenticationFailed",
    true
  ],
  [4, 405, "InvalidFormat", "Invalid format: This service doesn't exist in that format.", "TmdbApiError", false],
  [5, 422, "InvalidParameters", "Invalid parameters: Your request parameters are incorrect.", "TmdbApiError", false],
  [6, 404, "InvalidId", "Invalid id: The pre-requisite id is invalid or not found.", "ResourceNotFound", true],
  [7, 401, "InvalidApiKey", "Invalid API key: You must be granted a valid key.", "InvalidApiKey", false],
  [8, 403, "DuplicateEntry", "Duplicate entry: The data you tried to submit already exists.", "TmdbApiError", false],
  [
    9,
    503,
    "ServiceOffline",
    "Service offline: This service is temporarily offline, try again later.",
    "TmdbUnavailable",
    false
  ],
  [
    10,
    401,
    "SuspendedApiKey",
    "Suspended API key: Access to your account has been suspended, contact TMDB.",
    "InvalidApiKey",
    false
  ],
  [11, 500, "InternalError", "Internal error: Something went wrong, contact TMDB.", "TmdbUnavailable", false],
  [12, 201, "RecordUpdated", "The item/record was updated successfully.", "TmdbApiError", false],
  [13, 200, "RecordDeleted", "The item/record was deleted successfully.", "TmdbApiError", false],
  [14, 401, "AuthenticationFailed", "Authentication failed.", "AuthenticationFailed", false],
  [15, 500, "Failed", "Failed.", "TmdbUnavailable", false],
  [16, 401, "DeviceDenied", "Device denied.", "TmdbApiError", false],
  [17, 401, "SessionDenied", "Session denied.", "SessionDenied", true],
  [18, 400, "ValidationFailed", "Validation failed.", "TmdbApiError", false],
  [19, 406, "InvalidAcceptHeader", "Invalid accept header.", "TmdbApiError", false],
  [20, 422, "InvalidDateRange", "Invalid date range: Should be a range no longer than 14 days.", "TmdbApiError", false],
  [
    21,
    200,
    "EntryNotFound",
    "Entry not found: The item you are trying to edit cannot be found.",
    "TmdbApiError",
    false
  ],
  [
    22,
    400,
    "InvalidPage",
    "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.",
    "TmdbApiError",
    false
  ],
  [23, 400, "InvalidDate", "Invalid date: Format needs to be YYYY-MM-DD.", "TmdbApiError", false],
  [24, 504, "BackendTimeout", "Your request to the backend server timed out. Try again.", "TmdbUnavailable", false],
  [25, 429, "RequestLimitExceeded", "Your request count (#) is over the allowed limit of (40).", "RateLimited", false],
  [26, 400, "MissingCredentials", "You must provide a username and password.", "InvalidLogin", false],
  [
    27,
    400,
    "TooManyAppendToResponse",
    "Too many append to response objects: The maximum number of remote calls is 20.",
    "TmdbApiError",
    false
  ],
  [
    28,
    400,
    "InvalidTimezone",
    "Invalid timezone: Please consult the documentation for a valid timezone.",
    "TmdbApiError",
    false
  ],
  [
    29,
    400,
    "ConfirmationRequired",
    "You must confirm this action: Please provide a confirm=true parameter.",
    "TmdbApiError",
    false
  ],
  [
    30,
    401,
    "InvalidLogin",
    "Invalid username and/or password: You did not provide a valid login.",
    "InvalidLogin",
    false
  ],
  [
    31,
    401,
    "AccountDisabled",
    "Account disabled: Your account is no longer active. Contact TMDB if this is an error.",
    "AccountDisabled",
    false
  ],
  [
    32,
    401,
    "EmailNotVerified",
    "Email not verified: Your email address has not been verified.",
    "EmailNotVerified",
    false
  ],
  [
    33,
    401,
    "InvalidRequestToken",
    "Invalid request token: The request token is either expired or invalid.",
    "InvalidRequestToken",
    false
  ],
  [34, 404, "ResourceNotFound", "The resource you requested could not be found.", "ResourceNotFound", true],
  [35, 401, "InvalidToken", "Invalid token.", "AuthenticationFailed", false],
  [
    36,
    401,
    "WritePermissionRequired",
    "This token hasn't been granted write permission by the user.",
    "AuthenticationFailed",
    false
  ],
  [37, 404, "SessionNotFound", "The requested session could not be found.", "ResourceNotFound", false],
  [38, 401, "EditPermissionDenied", "You don't have permission to edit this resource.", "TmdbApiError", false],
  [39, 401, "PrivateResource", "This resource is private.", "TmdbApiError", false],
  [40, 200, "NothingToUpdate", "Nothing to update.", "TmdbApiError", false],
  [41, 422, "RequestTokenNotApproved", "This request token hasn't been approved by the user.", "SessionDenied", false],
  [42, 405, "MethodNotSupported", "This request method is not supported for this resource.", "TmdbApiError", false],
  [43, 502, "BackendUnreachable", "Couldn't connect to the backend server.", "TmdbUnavailable", false],
  [44, 500, "InvalidObjectId", "The ID is invalid.", "TmdbApiError", false],
  [45, 403, "UserSuspended", "This user has been suspended.", "AccountDisabled", false],
  [46, 503, "Maintenance", "The API is undergoing maintenance. Try again later.", "TmdbUnavailable", false],
  [47, 400, "InvalidInput", "The input is not valid.", "TmdbApiError", false]
] as const

/**
 * Every documented TMDB `status_code` (1–47), keyed by code: its HTTP status, message, the tag of
 * the error it stands for, and whether it means the session is gone.
 *
 * @example
 * ```ts
 * import { TmdbError } from "tmdb-effect"
 *
 * const code = TmdbError.statusCodes.get(30)
 * console.log(code?.httpStatus, code?.reason) // 401 "InvalidLogin"
 * ```
 *
 * @since 2.0.0
 * @category status codes
 */
export const statusCodes: ReadonlyMap<number, StatusCode> = /* @__PURE__ */ new Map(
  /* @__PURE__ */ table.map(([status_code, httpStatus, reason, status_message, tag, sessionGone]) => [
    status_code,
    { status_code, httpStatus, reason, status_message, tag, sessionGone }
  ])
)

const bodyFields = {
  /** TMDB's `status_code` from the error body. */
  status_code: Schema.Number,
  /** TMDB's `status_message` from the error body. */
  status_message: Schema.String,
  /** The HTTP status of the answer. */
  httpStatus: Schema.Number
}

const looseBodyFields = {
  /** TMDB's `status_code`, when the answer carried one. */
  status_code: /* @__PURE__ */ Schema.optional(Schema.Number),
  status_message: Schema.String,
  httpStatus: Schema.Number
}

/**
 * The base of each error class: a `Schema.TaggedError` identified as `"tmdb-effect/<tag>"`, whose
 * instances carry {@link TypeId} from its prototype (a `[TypeId]` class field, a computed key,
 * would keep every error class in every bundle, used or not).
 */
const TaggedError =
  <Self>() => <Tag extends string, const Fields extends Schema.Struct.Fields>(tag: Tag, fields: Fields) => {
    const base = Schema.TaggedError<Self, { readonly [TypeId]: TypeId }>(`tmdb-effect/${tag}`)(tag, fields)
    // type-id plumbing: `base` is the class (its type is a conditional one until `Self` is known)
    Object.defineProperty((base as unknown as { readonly prototype: object }).prototype, TypeId, { value: TypeId })
    return base
  }

/** {@link looseBodyFields} and more (a call: an object spread would keep its class in every bundle). */
const looseBodyAnd = <const Fields extends Schema.Struct.Fields>(fields: Fields) => ({ ...looseBodyFields, ...fields })

/** TMDB's message, and its `status_code` when there was one: what an error's message ends with. */
const statusText = (self: { readonly status_code?: number | undefined; readonly status_message: string }) =>
  self.status_code === undefined ? self.status_message : `${self.status_message} (TMDB status_code ${self.status_code})`

/**
 * The api_key or Bearer token was refused.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const valid = Authentication.validateKey().pipe(
 *   Effect.as(true),
 *   Effect.catchTag("InvalidApiKey", () => Effect.succeed(false))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class InvalidApiKey extends /* @__PURE__ */ TaggedError<InvalidApiKey>()("InvalidApiKey", bodyFields) {
  override get message(): string {
    return `TMDB refused the credentials: ${statusText(this)}`
  }
}

/**
 * TMDB refused access to the service or the token.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "tmdb-effect"
 *
 * const who = Account.details({ session_id: "…" }).pipe(
 *   Effect.catchTag("AuthenticationFailed", (e) => Effect.fail(`log in again: ${e.message}`))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class AuthenticationFailed
  extends /* @__PURE__ */ TaggedError<AuthenticationFailed>()("AuthenticationFailed", bodyFields)
{
  override get message(): string {
    return `TMDB authentication failed: ${statusText(this)}`
  }
}

/**
 * The username or password is wrong, or missing.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const login = Authentication.loginWithPassword({ username: "jo", password: "wrong" }).pipe(
 *   Effect.catchTag("InvalidLogin", () => Effect.succeed(null))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class InvalidLogin extends /* @__PURE__ */ TaggedError<InvalidLogin>()("InvalidLogin", bodyFields) {
  override get message(): string {
    return `TMDB rejected the username or password: ${statusText(this)}`
  }
}

/**
 * The TMDB account is disabled or suspended.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const login = Authentication.loginWithPassword({ username: "jo", password: "pw" }).pipe(
 *   Effect.catchTag("AccountDisabled", (e) => Effect.logWarning(e.message))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class AccountDisabled extends /* @__PURE__ */ TaggedError<AccountDisabled>()("AccountDisabled", bodyFields) {
  override get message(): string {
    return `The TMDB account is disabled: ${statusText(this)}`
  }
}

/**
 * The account's email address has not been verified yet.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const login = Authentication.loginWithPassword({ username: "jo", password: "pw" }).pipe(
 *   Effect.catchTag("EmailNotVerified", () => Effect.fail("check your inbox first"))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class EmailNotVerified extends /* @__PURE__ */ TaggedError<EmailNotVerified>()("EmailNotVerified", bodyFields) {
  override get message(): string {
    return `The TMDB account's email address is not verified: ${statusText(this)}`
  }
}

/**
 * The request token is unknown, already used or expired.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const session = Authentication.createSession({ request_token: "…" }).pipe(
 *   Effect.catchTag("InvalidRequestToken", () => Effect.fail("start the login again"))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class InvalidRequestToken
  extends /* @__PURE__ */ TaggedError<InvalidRequestToken>()("InvalidRequestToken", bodyFields)
{
  override get message(): string {
    return `The request token is invalid, used or expired: ${statusText(this)}`
  }
}

/**
 * The user has not approved the request token, or denied it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const session = Authentication.createSession({ request_token: "…" }).pipe(
 *   Effect.catchTag("SessionDenied", () => Effect.fail("approve the token in the browser first"))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class SessionDenied extends /* @__PURE__ */ TaggedError<SessionDenied>()("SessionDenied", bodyFields) {
  override get message(): string {
    return `The request token was not approved by the user: ${statusText(this)}`
  }
}

/**
 * TMDB does not know the id, session or resource.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * // logging out twice is fine
 * const logout = Authentication.deleteSession({ session_id: "…" }).pipe(
 *   Effect.catchTag("ResourceNotFound", () => Effect.void)
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class ResourceNotFound extends /* @__PURE__ */ TaggedError<ResourceNotFound>()("ResourceNotFound", bodyFields) {
  override get message(): string {
    return `TMDB could not find it: ${statusText(this)}`
  }
}

/**
 * TMDB throttled the request (its code, or HTTP 429). `retryAfter` comes from `Retry-After` and is
 * never below one second.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const token = Authentication.createRequestToken().pipe(
 *   Effect.catchTag("RateLimited", (e) => Effect.delay(Authentication.createRequestToken(), e.retryAfter))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class RateLimited extends /* @__PURE__ */ TaggedError<RateLimited>()(
  "RateLimited",
  /* @__PURE__ */ looseBodyAnd({
    /** How long TMDB asks to wait before the next request (at least one second). */
    retryAfter: Schema.Duration
  })
) {
  override get message(): string {
    return `TMDB is rate limiting requests; retry after ${Duration.format(this.retryAfter)}: ${statusText(this)}`
  }
}

/**
 * TMDB or its backend is down, overloaded or in maintenance (its codes, and 5xx answers without
 * a TMDB body).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const guest = Authentication.createGuestSession().pipe(
 *   Effect.catchTag("TmdbUnavailable", (e) => Effect.fail(`TMDB is down (${e.httpStatus})`))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class TmdbUnavailable
  extends /* @__PURE__ */ TaggedError<TmdbUnavailable>()("TmdbUnavailable", looseBodyFields)
{
  override get message(): string {
    return `TMDB is unavailable (HTTP ${this.httpStatus}): ${statusText(this)}`
  }
}

/**
 * Any other TMDB error (for example "The input is not valid"), and validation
 * answers of the form `{ errors: ["…"] }`, whose messages are in `errors`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const token = Authentication.createRequestToken().pipe(
 *   Effect.catchTag("TmdbApiError", (e) => Effect.fail(e.errors.join("; ") || e.status_message))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class TmdbApiError extends /* @__PURE__ */ TaggedError<TmdbApiError>()(
  "TmdbApiError",
  /* @__PURE__ */ looseBodyAnd({
    /** The messages of a `{ errors: [...] }` answer (empty for the other shapes). */
    errors: /* @__PURE__ */ Schema.Array(Schema.String)
  })
) {
  override get message(): string {
    return `TMDB answered with an error (HTTP ${this.httpStatus}): ${statusText(this)}`
  }
}

/**
 * The request never got an answer: DNS, connection refused or reset, or the per-request timeout.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const token = Authentication.createRequestToken().pipe(
 *   Effect.catchTag("TransportError", (e) => Effect.fail(`network: ${e.reason}`))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class TransportError extends /* @__PURE__ */ TaggedError<TransportError>()("TransportError", {
  /** What went wrong on the way. */
  reason: /* @__PURE__ */ Schema.Literals([
    "Timeout",
    "ConnectionRefused",
    "ConnectionReset",
    "NameResolution",
    "Other"
  ]),
  /** Method and path of the request, as `"<method> <path>"` (no query, no secrets). */
  endpoint: Schema.String,
  /** The underlying error's description; withheld whole if it quotes a secret of the request. */
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.endpoint} got no answer (${this.reason}): ${this.detail}`
  }
}

/**
 * The request was not sent: it got no place in its rate limit within `rateLimit.maxWait`
 * (`reason` `"WaitTooLong"`), or the limiter it waits on (one shared by many processes, on
 * Redis) could not be asked (`"Timeout"`, `"StoreError"`, `"UnexpectedReply"`). Pacing fails
 * closed: a request that cannot be counted is not sent, so a lost Redis never lets every
 * process send at full speed. Not retried; try again later.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const token = Authentication.createRequestToken().pipe(
 *   Effect.catchTag("RateLimiterUnavailable", (e) => Effect.fail(`not sent: ${e.detail}`))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class RateLimiterUnavailable
  extends /* @__PURE__ */ TaggedError<RateLimiterUnavailable>()("RateLimiterUnavailable", {
    /**
     * `WaitTooLong`: no place within `rateLimit.maxWait`; `Timeout`: the limiter's store did not
     * answer in time; `StoreError`: it failed; `UnexpectedReply`: it answered something else than
     * a place or a wait.
     */
    reason: /* @__PURE__ */ Schema.Literals(["WaitTooLong", "Timeout", "StoreError", "UnexpectedReply"]),
    /** What failed, e.g. `"Redis did not answer within 1s"` (never a key or a secret). */
    detail: Schema.String
  })
{
  override get message(): string {
    return `The TMDB request was not sent: it got no place in its rate limit (${this.reason}): ${this.detail}`
  }
}

/**
 * An answer that is not what TMDB documents: an HTML page, bad JSON, an empty body, a body
 * missing its token or session id, a redirect (never followed), or a body longer than
 * `TmdbConfig`'s `maxResponseBytes`. `excerpt` is short, and withheld whole if the server's text
 * quotes a secret of the request.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const token = Authentication.createRequestToken().pipe(
 *   Effect.catchTag("UnexpectedResponse", (e) => Effect.fail(`HTTP ${e.httpStatus}: ${e.excerpt}`))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class UnexpectedResponse extends /* @__PURE__ */ TaggedError<UnexpectedResponse>()("UnexpectedResponse", {
  endpoint: Schema.String,
  httpStatus: Schema.Number,
  /** What was wrong with the answer. */
  reason: Schema.String,
  /** The start of the body, or a note that it was withheld (it quoted a secret). */
  excerpt: Schema.String
}) {
  override get message(): string {
    return `${this.endpoint} answered HTTP ${this.httpStatus} with an unexpected body (${this.reason}): ${
      JSON.stringify(this.excerpt)
    }`
  }
}

/**
 * An argument was rejected locally, before any request: `field` names it, `reason` says what
 * was wrong. The value itself is never included.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication } from "tmdb-effect"
 *
 * const login = Authentication.loginWithPassword({ username: "", password: "pw" }).pipe(
 *   Effect.catchTag("InvalidInput", (e) => Effect.fail(e.message)) // "Invalid username: it is empty"
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class InvalidInput extends /* @__PURE__ */ TaggedError<InvalidInput>()("InvalidInput", {
  field: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid ${this.field}: ${this.reason}`
  }
}

/**
 * The credentials are neither a Bearer read access token (a JWT) nor a v3 api_key (32 hex
 * characters).
 *
 * @example
 * ```ts
 * import { Result } from "effect"
 * import { TmdbCredentials } from "tmdb-effect"
 *
 * const result = TmdbCredentials.parse("not a key")
 * if (Result.isFailure(result)) console.log(result.failure.message)
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class InvalidCredentialsFormat
  extends /* @__PURE__ */ TaggedError<InvalidCredentialsFormat>()("InvalidCredentialsFormat", {
    /** What was wrong with the value (never the value itself). */
    reason: Schema.String
  })
{
  override get message(): string {
    return `TMDB credentials must be an API Read Access Token (a JWT, sent as "Authorization: Bearer") ` +
      `or a v3 API key (32 hexadecimal characters, sent as the api_key query parameter): ${this.reason}`
  }
}

/**
 * A v4 endpoint was called with api_key credentials; v4 accepts only a Bearer token.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { AuthV4 } from "tmdb-effect"
 *
 * const token = AuthV4.createRequestToken().pipe(
 *   Effect.catchTag("BearerTokenRequired", (e) => Effect.fail(`set TMDB_BEARER_TOKEN: ${e.message}`))
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class BearerTokenRequired extends /* @__PURE__ */ TaggedError<BearerTokenRequired>()("BearerTokenRequired", {
  endpoint: Schema.String
}) {
  override get message(): string {
    return `${this.endpoint} needs an API Read Access Token (Bearer); api_key credentials are not accepted by TMDB's v4 API`
  }
}

/**
 * A `TmdbConfig` setting is not usable (a base URL that is not http(s), a timeout that is not a
 * positive duration, …): the call fails before any request. `setting` names it, `reason` says
 * what is wrong; the value itself is never included.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication, TmdbConfig } from "tmdb-effect"
 *
 * const token = Authentication.createRequestToken().pipe(
 *   Effect.provide(TmdbConfig.layer({ timeout: "0 seconds" })),
 *   Effect.catchTag("InvalidConfig", (e) => Effect.fail(e.message)) // "Invalid TmdbConfig timeout: …"
 * )
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export class InvalidConfig extends /* @__PURE__ */ TaggedError<InvalidConfig>()("InvalidConfig", {
  /** The setting, e.g. `"timeout"` or `"retry.times"`. */
  setting: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid TmdbConfig ${this.setting}: ${this.reason}`
  }
}

/**
 * The errors TMDB can answer any authenticated request with, the transport and decoding failures
 * every request can meet, and the checks every call makes first: every endpoint fails with these.
 *
 * @example
 * ```ts
 * import { TmdbError } from "tmdb-effect"
 *
 * console.log(TmdbError.commonErrors.map((error) => error.identifier))
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export const commonErrors = [
  InvalidApiKey,
  AuthenticationFailed,
  RateLimited,
  TmdbUnavailable,
  TmdbApiError,
  TransportError,
  UnexpectedResponse,
  InvalidConfig,
  RateLimiterUnavailable
] as const

/**
 * The errors only some endpoints can produce; each endpoint's declaration lists the ones it can.
 *
 * @example
 * ```ts
 * import { TmdbError } from "tmdb-effect"
 *
 * console.log(TmdbError.endpointErrors.length) // 6
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export const endpointErrors = [
  InvalidLogin,
  AccountDisabled,
  EmailNotVerified,
  InvalidRequestToken,
  SessionDenied,
  ResourceNotFound
] as const

/** The class, among {@link commonErrors} and {@link endpointErrors}, of the error tagged `T`. */
type ErrorClassOf<T extends StatusCodeTag> = Extract<
  (typeof commonErrors)[number] | (typeof endpointErrors)[number],
  new(...args: never) => { readonly _tag: T }
>

/**
 * The error class each tag of the status-code table stands for ({@link StatusCode}'s `tag`), one
 * of {@link commonErrors} or {@link endpointErrors}: the compiler checks every tag is here, with
 * its own class.
 *
 * @example
 * ```ts
 * import { TmdbError } from "tmdb-effect"
 *
 * const code = TmdbError.statusCodes.get(30)
 * const errorClass = code === undefined ? undefined : TmdbError.statusCodeErrors[code.tag]
 * console.log(errorClass?.identifier) // "tmdb-effect/InvalidLogin"
 * ```
 *
 * @since 2.0.0
 * @category status codes
 */
export const statusCodeErrors = {
  InvalidApiKey,
  AuthenticationFailed,
  RateLimited,
  TmdbUnavailable,
  TmdbApiError,
  InvalidLogin,
  AccountDisabled,
  EmailNotVerified,
  InvalidRequestToken,
  SessionDenied,
  ResourceNotFound
} as const satisfies { readonly [T in StatusCodeTag]: ErrorClassOf<T> }

/** Three lists as one (a call, so that a bundle without the union keeps none of them). */
const concat = <
  const A extends ReadonlyArray<unknown>,
  const B extends ReadonlyArray<unknown>,
  const C extends ReadonlyArray<unknown>
>(a: A, b: B, c: C): [...A, ...B, ...C] => [...a, ...b, ...c]

/** The errors raised locally, before any request, by some functions. */
const localErrors = [InvalidInput, InvalidCredentialsFormat, BearerTokenRequired] as const

/**
 * The errors every endpoint can fail with: {@link commonErrors}.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication, type TmdbError } from "tmdb-effect"
 *
 * const report = (error: TmdbError.CommonError) => `${error._tag}: ${error.message}`
 * const token = Authentication.createRequestToken().pipe(Effect.mapError(report))
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export type CommonError = InstanceType<(typeof commonErrors)[number]>

/**
 * Errors that only some endpoints can produce: {@link endpointErrors}.
 *
 * @example
 * ```ts
 * import type { TmdbError } from "tmdb-effect"
 *
 * const askUserAgain = (error: TmdbError.EndpointError) => error._tag === "InvalidLogin" || error._tag === "SessionDenied"
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export type EndpointError = InstanceType<(typeof endpointErrors)[number]>

/**
 * Every error this library can fail with.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication, type TmdbError } from "tmdb-effect"
 *
 * const toMessage = (error: TmdbError.TmdbError) => error.message
 * const login = Authentication.loginWithPassword({ username: "jo", password: "pw" }).pipe(Effect.mapError(toMessage))
 * ```
 *
 * @since 2.0.0
 * @category errors
 */
export type TmdbError = CommonError | EndpointError | InstanceType<(typeof localErrors)[number]>

/**
 * Every error class of this library, as one Schema union (to validate or encode errors, e.g. a
 * worker's failure sent to another process).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { TmdbError } from "tmdb-effect"
 *
 * const isKnown = Schema.is(TmdbError.TmdbError)
 * isKnown(new TmdbError.InvalidInput({ field: "username", reason: "it is empty" })) // true
 * ```
 *
 * @since 2.0.0
 * @category schemas
 */
export const TmdbError = /* @__PURE__ */ Schema.Union(
  /* @__PURE__ */ concat(commonErrors, endpointErrors, localErrors)
)

/**
 * Whether a value is one of the errors this library fails with.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Authentication, TmdbError } from "tmdb-effect"
 *
 * const logged = Authentication.validateKey().pipe(
 *   Effect.tapError((error) => TmdbError.isTmdbError(error) ? Effect.logWarning(error.message) : Effect.void)
 * )
 * ```
 *
 * @since 2.0.0
 * @category guards
 */
export const isTmdbError = (u: unknown): u is TmdbError => Predicate.hasProperty(u, TypeId)

/**
 * When repeating a request that failed this way is safe: `"never"`; `"anyMethod"`, as TMDB did
 * not process it (throttled, or the connection refused before anything was sent); or
 * `"getAndDelete"` only, as a POST that may have reached TMDB is never repeated (a request token
 * is single-use).
 *
 * @example
 * ```ts
 * import type { TmdbError } from "tmdb-effect"
 *
 * const safe: TmdbError.Repeatable = "getAndDelete"
 * ```
 *
 * @since 2.0.0
 * @category models
 */
export type Repeatable = "never" | "anyMethod" | "getAndDelete"

const never = (): Repeatable => "never"

/** Per tag, when its request may be repeated: the compiler checks every tag is here. */
const repeatable: {
  readonly [T in TmdbError["_tag"]]: (error: Extract<TmdbError, { readonly _tag: T }>) => Repeatable
} = {
  RateLimited: () => "anyMethod",
  TransportError: (error) => error.reason === "ConnectionRefused" ? "anyMethod" : "getAndDelete",
  TmdbUnavailable: (error) =>
    error.httpStatus === 502 || error.httpStatus === 503 || error.httpStatus === 504 ? "getAndDelete" : "never",
  InvalidApiKey: never,
  AuthenticationFailed: never,
  TmdbApiError: never,
  UnexpectedResponse: never,
  InvalidConfig: never,
  RateLimiterUnavailable: never,
  InvalidLogin: never,
  AccountDisabled: never,
  EmailNotVerified: never,
  InvalidRequestToken: never,
  SessionDenied: never,
  ResourceNotFound: never,
  InvalidInput: never,
  InvalidCredentialsFormat: never,
  BearerTokenRequired: never
}

/**
 * When the request that failed with `error` may be repeated (the library's retries follow it).
 *
 * @example
 * ```ts
 * import { TmdbError } from "tmdb-effect"
 *
 * const refused = new TmdbError.TransportError({ reason: "ConnectionRefused", endpoint: "POST /3/x", detail: "" })
 * console.log(TmdbError.repeatableOf(refused)) // "anyMethod": nothing was sent
 * ```
 *
 * @since 2.0.0
 * @category retries
 */
export const repeatableOf = (error: TmdbError): Repeatable =>
  (repeatable[error._tag] as (error: TmdbError) => Repeatable)(error)

/**
 * Whether TMDB answered that the session (or v4 access token) is unknown or invalid — gone —
 * with a code it documents for that (3, 6, 17, 34) and the error that code stands for.
 *
 * @example
 * ```ts
 * import { TmdbError } from "tmdb-effect"
 *
 * const gone = new TmdbError.ResourceNotFound({ status_code: 34, status_message: "", httpStatus: 404 })
 * console.log(TmdbError.isSessionGone(gone)) // true
 * ```
 *
 * @since 2.0.0
 * @category guards
 */
export const isSessionGone = (error: unknown): error is TmdbError & { readonly status_code: number } => {
  if (!isTmdbError(error) || !("status_code" in error) || typeof error.status_code !== "number") return false
  const code = statusCodes.get(error.status_code)
  return code !== undefined && code.sessionGone && code.tag === error._tag
}
