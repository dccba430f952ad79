/**
 * The browser login, written once for every door (the Node loopback login, the web page's
 * redirect login): start — create a request token and build the page where the user approves
 * it, sending them back to `redirectTo` — then, once they are back, exchange the token for a v3
 * session or a v4 access token. A token the user did not approve is `LoginDenied`.
 */
import * as Effect from "effect/Effect"
import * as Authentication from "../../Authentication.js"
import * as AuthV4 from "../../AuthV4.js"
import { InvalidInput } from "../../TmdbError.js"
import type { Outcome } from "./callback.js"
import { LoginDenied } from "./denied.js"

/** Which login: v3 (a session) or v4 (a user access token). */
export type Version = "v3" | "v4"

/** `approvalUrl` throws `InvalidInput` for what is not a request token; here it is a typed failure. */
const approval = (build: () => string): Effect.Effect<string, InvalidInput> =>
  Effect.try({
    try: build,
    catch: (error) =>
      error instanceof InvalidInput
        ? error
        : new InvalidInput({ field: "request_token", reason: "no approval URL can be built from it" })
  })

/**
 * A new login: the request token (with its answer) and the approval page's URL on `webUrl`,
 * which sends the user back to `redirectTo` (v3 in the page's URL; v4 in the token itself).
 */
export const startV3 = (redirectTo: string, webUrl: string) =>
  Effect.flatMap(Authentication.createRequestToken(), (token) =>
    Effect.map(
      approval(() => Authentication.approvalUrl(token.request_token, { redirectTo, webUrl })),
      (url) => ({ token, url })
    ))

/** {@link startV3} for a v4 login. */
export const startV4 = (redirectTo: string, webUrl: string) =>
  Effect.flatMap(AuthV4.createRequestToken({ redirect_to: redirectTo }), (token) =>
    Effect.map(
      approval(() => AuthV4.approvalUrl(token.request_token, { webUrl })),
      (url) => ({ token, url })
    ))

/** The approved v3 token, exchanged for a session; a denial (TMDB's `SessionDenied`) is `LoginDenied`. */
export const exchangeV3 = (request_token: string) =>
  Effect.catchTag(
    Authentication.createSession({ request_token }),
    "SessionDenied",
    () => Effect.fail(new LoginDenied())
  )

/** The approved v4 token, exchanged for a user access token; a denial is `LoginDenied`. */
export const exchangeV4 = (request_token: string) =>
  Effect.catchTag(AuthV4.createAccessToken({ request_token }), "SessionDenied", () => Effect.fail(new LoginDenied()))

/**
 * The way back, for every door: a callback that says the user denied is `LoginDenied` at once,
 * with nothing sent; an approved one runs `exchange` (whose `SessionDenied`, TMDB's word for a
 * token not approved, the exchanges above make `LoginDenied` too).
 */
export const finish = <A, E, R>(
  outcome: Outcome,
  exchange: Effect.Effect<A, E, R>
): Effect.Effect<A, E | LoginDenied, R> => outcome === "denied" ? Effect.fail(new LoginDenied()) : exchange
