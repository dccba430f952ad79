/**
 * The simulator's state: plain mutable maps (JavaScript is single-threaded, and every change
 * happens synchronously inside one request or control call).
 */
import * as Duration from "effect/Duration"
import { requestTokenLifetime } from "../../AuthV4.js"
import { SlidingWindow } from "../../internal/util/window.js"
import { encodeJwt, makeIdGenerator } from "./ids.js"
import type { Account, AccountInput, Fault, Options, RecordedRequest } from "./model.js"
import type { Limit } from "./rateLimit.js"

/** A request token (v3, or v4 when `version` is 4) and what happened to it. */
export interface RequestToken {
  readonly expiresAt: number
  status: "pending" | "approved" | "denied" | "used"
  /** The account it was approved for. */
  username: string | undefined
  /** 4 for a v4 request token (a JWT, from `AuthV4.createRequestToken`); absent for v3. */
  readonly version?: 4 | undefined
  /** v4 only: the `redirect_to` given at creation, where the browser goes after approval. */
  readonly redirectTo?: string | undefined
}

/** A fault waiting for its requests. */
export interface QueuedFault {
  readonly fault: Fault
  readonly path: string | undefined
  remaining: number
}

/** A scripted decision for the next approval page(s). */
export interface QueuedApproval {
  readonly decision: "approve" | "deny"
  readonly username: string | undefined
  remaining: number
}

/** Everything a simulator knows. */
export interface State {
  readonly nextId: (length: number) => string
  readonly apiKeys: ReadonlySet<string>
  readonly bearerTokens: ReadonlySet<string>
  readonly guestSessionTtl: number
  readonly requestTokenTtl: number
  /** By username, in the order they were added. */
  readonly accounts: Map<string, Account>
  readonly requestTokens: Map<string, RequestToken>
  /** v3 session id → username. */
  readonly sessions: Map<string, string>
  /** Guest session id → expiry (epoch millis). */
  readonly guestSessions: Map<string, number>
  /** v4 user access token → username. */
  readonly accessTokens: Map<string, string>
  /** v3 session id → the v4 access token it was converted from (deleting the token ends it). */
  readonly convertedSessions: Map<string, string>
  /** Session or guest session id → the movies it rated. */
  readonly ratings: Map<string, Set<string>>
  readonly faults: Array<QueuedFault>
  /** What the scripted user clicks on the next approval pages. */
  readonly approvalScript: Array<QueuedApproval>
  readonly requests: Array<RecordedRequest>
  /** The opt-in rate limit and its window, when there is one. */
  readonly rateLimit: Limit | undefined
}

/** Fresh state; accounts are added separately. */
export const makeState = (
  options: Options,
  defaults: { readonly apiKey: string; readonly bearerToken: string }
): State => ({
  nextId: makeIdGenerator(),
  apiKeys: new Set(options.apiKeys ?? [defaults.apiKey]),
  bearerTokens: new Set(options.bearerTokens ?? [defaults.bearerToken]),
  guestSessionTtl: Duration.toMillis(options.guestSessionTtl ?? "24 hours"),
  requestTokenTtl: Duration.toMillis(options.requestTokenTtl ?? "60 minutes"),
  accounts: new Map(),
  requestTokens: new Map(),
  sessions: new Map(),
  guestSessions: new Map(),
  accessTokens: new Map(),
  convertedSessions: new Map(),
  ratings: new Map(),
  faults: [],
  approvalScript: [],
  requests: [],
  rateLimit: options.rateLimit === undefined ? undefined : {
    limit: options.rateLimit.limit,
    interval: Duration.toMillis(options.rateLimit.interval ?? "1 second"),
    window: new SlidingWindow()
  }
})

/** Adds an account, or returns an error message when the username is taken. */
export const addAccount = (state: State, input: AccountInput): Account | string => {
  if (state.accounts.has(input.username)) return `TmdbSimulator: an account named "${input.username}" already exists`
  const account: Account = {
    id: 1000 + state.accounts.size,
    username: input.username,
    password: input.password,
    name: input.name ?? "",
    status: input.status ?? "active",
    include_adult: input.include_adult ?? false,
    iso_639_1: input.iso_639_1 ?? "en",
    iso_3166_1: input.iso_3166_1 ?? "US",
    avatar_path: input.avatar_path ?? null,
    gravatar_hash: state.nextId(32)
  }
  state.accounts.set(account.username, account)
  return account
}

/** The request token of that version (3 or 4), if it exists and is neither used nor expired. */
export const liveRequestToken = (
  state: State,
  request_token: string | undefined,
  version: 3 | 4,
  now: number
): RequestToken | undefined => {
  const token = request_token === undefined ? undefined : state.requestTokens.get(request_token)
  return token === undefined || (token.version ?? 3) !== version || token.status === "used" || now >= token.expiresAt
    ? undefined
    : token
}

/** Whether a guest session exists and has not reached its `expires_at`. */
export const liveGuestSession = (state: State, guest_session_id: string, now: number): boolean => {
  const expiresAt = state.guestSessions.get(guest_session_id)
  return expiresAt !== undefined && now < expiresAt
}

/** Takes the first queued fault for a path, if any. */
export const takeFault = (state: State, path: string): Fault | undefined => {
  const index = state.faults.findIndex((queued) => queued.path === undefined || queued.path === path)
  const queued = state.faults[index]
  if (queued === undefined) return undefined
  queued.remaining -= 1
  if (queued.remaining <= 0) state.faults.splice(index, 1)
  return queued.fault
}

/** The app the simulator's JWTs belong to (`aud`): the first accepted api_key. */
const appOf = (state: State): string => state.apiKeys.values().next().value ?? ""

/** v4's string account id for an account: its id as 24 hexadecimal digits. */
export const v4AccountId = (account: Account): string => account.id.toString(16).padStart(24, "0")

/** A new v4 request token (a JWT, scope `pending_request_token`, for its lifetime), stored as pending. */
export const issueV4RequestToken = (state: State, now: number, redirectTo: string | undefined): string => {
  const nbf = Math.floor(now / 1000)
  const exp = nbf + Duration.toSeconds(requestTokenLifetime)
  const token = encodeJwt({
    aud: appOf(state),
    exp,
    jti: state.nextId(32),
    nbf,
    redirect_to: redirectTo ?? null,
    scopes: ["pending_request_token"],
    version: 1
  }, "tmdb-effect simulator signature")
  state.requestTokens.set(token, {
    expiresAt: exp * 1000,
    status: "pending",
    username: undefined,
    version: 4,
    redirectTo
  })
  return token
}

/** A new v4 user access token for an account (a JWT, scopes `api_read` and `api_write`). */
export const issueAccessToken = (state: State, account: Account, now: number): string => {
  const token = encodeJwt({
    aud: appOf(state),
    jti: state.nextId(32),
    nbf: Math.floor(now / 1000),
    scopes: ["api_read", "api_write"],
    sub: v4AccountId(account),
    version: 1
  }, "tmdb-effect simulator signature")
  state.accessTokens.set(token, account.username)
  return token
}

/** Deletes a v4 access token and ends the sessions converted from it; false if it was unknown. */
export const revokeAccessToken = (state: State, access_token: string): boolean => {
  if (!state.accessTokens.delete(access_token)) return false
  for (const [session_id, from] of state.convertedSessions) {
    if (from === access_token) {
      state.convertedSessions.delete(session_id)
      state.sessions.delete(session_id)
    }
  }
  return true
}
