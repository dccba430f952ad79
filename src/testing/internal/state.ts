/**
 * The simulator's state: plain mutable maps (JavaScript is single-threaded, and every change
 * happens synchronously inside one request or control call).
 */
import * as Duration from "effect/Duration"
import type { Account, AccountInput, Fault, Options, RecordedRequest } from "../TmdbSimulator.js"
import { makeIdGenerator } from "./ids.js"

/** A v3 request token and what happened to it. */
export interface RequestToken {
  readonly expiresAt: number
  status: "pending" | "approved" | "denied" | "used"
  /** The account it was approved for. */
  username: string | undefined
}

/** A fault waiting for its requests. */
export interface QueuedFault {
  readonly fault: Fault
  readonly path: string | undefined
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
  readonly faults: Array<QueuedFault>
  readonly requests: Array<RecordedRequest>
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
  faults: [],
  requests: []
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

/** Takes the first queued fault for a path, if any. */
export const takeFault = (state: State, path: string): Fault | undefined => {
  const index = state.faults.findIndex((queued) => queued.path === undefined || queued.path === path)
  const queued = state.faults[index]
  if (queued === undefined) return undefined
  queued.remaining -= 1
  if (queued.remaining <= 0) state.faults.splice(index, 1)
  return queued.fault
}
