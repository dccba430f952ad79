/**
 * The shapes the simulator's public module and its internals share: accounts, options, faults,
 * recorded requests and the control service. `TmdbSimulator` exports them under its own docs.
 */
import type * as Data from "effect/Data"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"

/** An account to create: a username and password, the rest defaulted. */
export interface AccountInput {
  readonly username: string
  readonly password: string
  /** Default `""`. */
  readonly name?: string | undefined
  /** `"disabled"` logs in as a disabled account (`AccountDisabled`), `"unverified"` as an unverified one (`EmailNotVerified`). Default `"active"`. */
  readonly status?: "active" | "disabled" | "unverified" | undefined
  /** Default `false`. */
  readonly include_adult?: boolean | undefined
  /** Default `"en"`. */
  readonly iso_639_1?: string | undefined
  /** Default `"US"`. */
  readonly iso_3166_1?: string | undefined
  /** Default `null`. */
  readonly avatar_path?: string | null | undefined
}

/** An account of the simulator. */
export interface Account {
  /** Assigned in order, from 1000 up. */
  readonly id: number
  readonly username: string
  readonly password: string
  readonly name: string
  readonly status: "active" | "disabled" | "unverified"
  readonly include_adult: boolean
  readonly iso_639_1: string
  readonly iso_3166_1: string
  readonly avatar_path: string | null
  /** The `avatar.gravatar.hash` of account details (32 hexadecimal characters). */
  readonly gravatar_hash: string
}

/** How a simulator starts. */
export interface Options {
  /** The accounts; default `[defaultAccount]`. */
  readonly accounts?: ReadonlyArray<AccountInput> | undefined
  /** The api_keys accepted; default `[apiKey]`. */
  readonly apiKeys?: ReadonlyArray<string> | undefined
  /** The Bearer tokens accepted (besides tokens from `grantAccessToken`); default `[bearerToken]`. */
  readonly bearerTokens?: ReadonlyArray<string> | undefined
  /**
   * How long a guest session lives (its `expires_at`); default 24 hours. After it, rating a
   * movie with it is refused as TMDB refuses an expired guest session.
   */
  readonly guestSessionTtl?: Duration.Input | undefined
  /** How long a v3 request token lives; default 60 minutes. (v4 ones live as their JWT says: `AuthV4.RequestToken`.) */
  readonly requestTokenTtl?: Duration.Input | undefined
  /**
   * TMDB's rate limit, opt-in (default: none): at most `limit` API requests in any sliding
   * `interval` (default 1 second); the others get TMDB's throttling answer, with `Retry-After`.
   */
  readonly rateLimit?: RateLimit | undefined
}

/** The simulator's opt-in rate limit. */
export interface RateLimit {
  /** A positive whole number. */
  readonly limit: number
  /** Default 1 second. */
  readonly interval?: Duration.Input | undefined
}

/** A fault to inject in place of (or around) the normal answer. */
export type Fault = Data.TaggedEnum<{
  /** Answer with this status, body (default `""`) and headers, without processing the request. */
  readonly Status: {
    readonly status: number
    readonly body?: string | undefined
    readonly headers?: Readonly<Record<string, string>> | undefined
  }
  /** Answer with a CDN-style HTML error page, e.g. `<title>502 Bad Gateway</title>`. */
  readonly Html: { readonly status: number }
  /** Answer with `Content-Type: application/json` and a truncated body. */
  readonly MalformedJson: { readonly status: number }
  /**
   * Announce a longer `Content-Length` than is sent, send the start of a JSON body, then close
   * the connection (the client's body read fails). The request is not processed.
   */
  readonly Truncated: { readonly status: number }
  /** Wait (`Effect.sleep`, so `TestClock` drives it), then answer normally. */
  readonly Delay: { readonly duration: Duration.Input }
  /** Refuse the connection: the request is not processed (`ECONNREFUSED` in memory). */
  readonly Refuse: Record<never, never>
  /** Reset the connection without an answer; with `afterProcessing` the state changes happen first. */
  readonly Drop: { readonly afterProcessing: boolean }
  /** TMDB's throttling answer, with `Retry-After` (seconds) when given. */
  readonly RateLimit: { readonly retryAfter?: number | undefined }
}>

/** A request the simulator saw. */
export interface RecordedRequest {
  /** When it arrived: epoch millis on the simulator's `Clock` (so `TestClock` time in memory). */
  readonly at: number
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** Lowercase names. */
  readonly headers: Readonly<Record<string, string>>
  /** The parsed JSON body, or `undefined` (no body, not JSON, or never read: a refused connection). */
  readonly body: unknown
}

/** A live v3 session. */
export interface SessionInfo {
  readonly session_id: string
  readonly username: string
}

/** What the scripted user does on the next approval page(s). */
export interface ScriptedApproval {
  readonly decision: "approve" | "deny"
  /** The account that approves (default: the first one). */
  readonly username?: string | undefined
  /** How many pages this answers (default 1), or `"always"`. */
  readonly times?: number | "always" | undefined
}

/** The control side of a simulator. */
export interface Service {
  /** Adds an account (dies if the username is taken). */
  readonly addAccount: (input: AccountInput) => Effect.Effect<Account>
  /**
   * Approves a request token as the user would in the browser, for the given account (default:
   * the first one): a v3 token (then `Authentication.createSession` succeeds) or a v4 one from
   * `AuthV4.createRequestToken` (then `AuthV4.createAccessToken` succeeds). Dies on an unknown
   * or used token, or an unknown account.
   */
  readonly approve: (
    request_token: string,
    options?: { readonly username?: string | undefined }
  ) => Effect.Effect<void>
  /**
   * Denies a request token (v3 or v4) as the user would in the browser. Dies on an unknown or
   * used token.
   */
  readonly deny: (request_token: string) => Effect.Effect<void>
  /**
   * A v4 user access token for an account (a JWT with scopes `api_read` and `api_write`), accepted
   * as a Bearer token and by `Authentication.createSessionFromV4Token` until
   * `AuthV4.deleteAccessToken`, which also ends the sessions converted from it. Dies on an
   * unknown account.
   */
  readonly grantAccessToken: (username: string) => Effect.Effect<string>
  /**
   * Queues a fault for the next `times` (default 1) requests to `path` (default: any path); each
   * request consumes the first matching queued fault.
   */
  readonly inject: (
    fault: Fault,
    options?: { readonly path?: string | undefined; readonly times?: number | undefined }
  ) => Effect.Effect<void>
  /**
   * Scripts what the user does on the next approval page(s) the simulator serves over HTTP
   * (at `Authentication.approvalUrl` for v3, `AuthV4.approvalUrl` for v4): approve
   * for `username` (default: the first account) or deny, for `times` pages (default 1) or
   * `"always"`. Scripts are used in order, when a page is opened (a GET), except by a browser
   * that another site sent there (`Sec-Fetch-Site: cross-site`): that one sees the form. The
   * page then redirects as TMDB does: a v3 one to its `redirect_to` with `request_token` and
   * `approved=true` (or `denied=true`) appended, a v4 one to the token's `redirect_to` exactly
   * as given; a `redirect_to` that is not an absolute http(s) URL gets a 400 page and the script
   * waits. Without a script the page is a form that posts back to the page, and only a POST whose
   * `Origin` is the simulator's own decides. Dies on an unknown account.
   */
  readonly scriptApproval: (approval: ScriptedApproval) => Effect.Effect<void>
  /** Removes every queued fault. */
  readonly clearFaults: Effect.Effect<void>
  /** Every request seen, in order, faulted ones included. */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /** The live v3 sessions. */
  readonly sessions: Effect.Effect<ReadonlyArray<SessionInfo>>
}
