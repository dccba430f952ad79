/**
 * A simulator: its state, its control service and the HTTP app that answers its requests.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { makeApp } from "./app.js"
import type { App } from "./app.js"
import { scriptApproval } from "./approvalPages.js"
import type { AccountInput, Options, Service } from "./model.js"
import { addAccount, issueAccessToken, makeState } from "./state.js"
import type { RequestToken, State } from "./state.js"

/** A service made by {@link make}: the control service, and the app that answers its requests. */
interface WithApp extends Service {
  readonly app: App
}

const isWithApp = (service: Service): service is WithApp => "app" in service && Effect.isEffect(service.app)

/** A defect with a message for the test's author. */
const dieMessage = (message: string): Effect.Effect<never> => Effect.die(new Error(message))

/** The app of a service made by {@link make}. */
export const appOf = (service: Service): Effect.Effect<App> =>
  isWithApp(service)
    ? Effect.succeed(service.app)
    : dieMessage("TmdbSimulator: this service was not created by TmdbSimulator.make")

const orDie = <A>(result: A | string): Effect.Effect<A> =>
  typeof result === "string" ? dieMessage(result) : Effect.succeed(result)

/** A request token the test may still approve or deny, or why not. */
const openToken = (state: State, request_token: string): RequestToken | string => {
  const token = state.requestTokens.get(request_token)
  if (token === undefined) return `TmdbSimulator: unknown request token "${request_token}"`
  if (token.status === "used") return `TmdbSimulator: request token "${request_token}" was already used`
  return token
}

const approve = (state: State, request_token: string, username: string | undefined): undefined | string => {
  const token = openToken(state, request_token)
  if (typeof token === "string") return token
  const account = username === undefined ? state.accounts.values().next().value : state.accounts.get(username)
  if (account === undefined) {
    return username === undefined
      ? "TmdbSimulator: there is no account to approve the request token for"
      : `TmdbSimulator: unknown account "${username}"`
  }
  token.status = "approved"
  token.username = account.username
  return undefined
}

const service = (state: State): Service => ({
  addAccount: (input) => Effect.suspend(() => orDie(addAccount(state, input))),
  approve: (request_token, options) => Effect.suspend(() => orDie(approve(state, request_token, options?.username))),
  deny: (request_token) =>
    Effect.suspend(() => {
      const token = openToken(state, request_token)
      if (typeof token === "string") return dieMessage(token)
      token.status = "denied"
      token.username = undefined
      return Effect.void
    }),
  grantAccessToken: (username) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const account = state.accounts.get(username)
      return account === undefined
        ? dieMessage(`TmdbSimulator: unknown account "${username}"`)
        : Effect.succeed(issueAccessToken(state, account, now))
    }),
  inject: (fault, options) =>
    Effect.sync(() => {
      const times = options?.times ?? 1
      if (times > 0) state.faults.push({ fault, path: options?.path, remaining: times })
    }),
  scriptApproval: (approval) => Effect.suspend(() => orDie(scriptApproval(state, approval) ?? undefined)),
  clearFaults: Effect.sync(() => {
    state.faults.length = 0
  }),
  requests: Effect.sync(() => state.requests.slice()),
  sessions: Effect.sync(() => Array.from(state.sessions, ([session_id, username]) => ({ session_id, username })))
})

/** A simulator with fresh state. */
export const make = (
  options: Options | undefined,
  defaults: { readonly apiKey: string; readonly bearerToken: string; readonly account: AccountInput }
): Effect.Effect<Service> =>
  Effect.gen(function*() {
    const rateLimit = options?.rateLimit
    const validLimit = rateLimit === undefined ||
      (Number.isSafeInteger(rateLimit.limit) && rateLimit.limit > 0 &&
        Duration.toMillis(rateLimit.interval ?? "1 second") > 0)
    if (!validLimit) {
      return yield* dieMessage("TmdbSimulator: rateLimit needs a positive whole limit and a positive interval")
    }
    const state = makeState(options ?? {}, defaults)
    const self = service(state)
    for (const account of options?.accounts ?? [defaults.account]) yield* self.addAccount(account)
    const withApp: WithApp = { ...self, app: yield* makeApp(state) }
    return withApp
  })
