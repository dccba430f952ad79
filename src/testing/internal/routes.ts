/**
 * TMDB's v3 authentication and account endpoints and v4 auth endpoints as an `HttpRouter`: each
 * route a pure function of the state, the request and the current time.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import { formatExpiresAt } from "./ids.js"
import { json, mustBeProvided, tmdbError } from "./responses.js"
import { issueAccessToken, issueV4RequestToken, revokeAccessToken, v4AccountId } from "./state.js"
import type { State } from "./state.js"

interface Input {
  readonly state: State
  /** The request's URL (absolute). */
  readonly url: URL
  /** The JSON body's fields (empty for routes without a body). */
  readonly body: Readonly<Record<string, unknown>>
  /** Epoch millis, from `Clock`. */
  readonly now: number
}

interface Route {
  readonly method: "GET" | "POST" | "DELETE"
  readonly path: `/${string}`
  /** Whether the route reads a JSON object body. */
  readonly json: boolean
  readonly run: (input: Input) => HttpServerResponse.HttpServerResponse
}

/** A non-empty string field, else `undefined`. */
const field = (body: Readonly<Record<string, unknown>>, name: string): string | undefined => {
  const value = body[name]
  return typeof value === "string" && value !== "" ? value : undefined
}

const createSession = (
  state: State,
  username: string,
  fromAccessToken?: string
): HttpServerResponse.HttpServerResponse => {
  const session_id = state.nextId(40)
  state.sessions.set(session_id, username)
  if (fromAccessToken !== undefined) state.convertedSessions.set(session_id, fromAccessToken)
  return json(200, { success: true, session_id })
}

const sessionDenied = json(401, {
  success: false,
  failure: true,
  status_code: 17,
  status_message: "Session denied."
})

/** Where TMDB sends the user to approve a token: its website, next to the API origin. */
const websiteOf = (origin: string): string => origin.replace(/^(https?:\/\/)api\./, "$1www.")

const routes: ReadonlyArray<Route> = [
  {
    method: "GET",
    path: "/3/authentication",
    json: false,
    run: () => json(200, { success: true, status_code: 1, status_message: "Success." })
  },
  {
    method: "GET",
    path: "/3/authentication/guest_session/new",
    json: false,
    run: ({ now, state }) => {
      const guest_session_id = state.nextId(32)
      const expiresAt = now + state.guestSessionTtl
      state.guestSessions.set(guest_session_id, expiresAt)
      return json(200, { success: true, guest_session_id, expires_at: formatExpiresAt(expiresAt) })
    }
  },
  {
    method: "GET",
    path: "/3/authentication/token/new",
    json: false,
    run: ({ now, state, url }) => {
      const request_token = state.nextId(40)
      const expiresAt = now + state.requestTokenTtl
      state.requestTokens.set(request_token, { expiresAt, status: "pending", username: undefined })
      return json(200, { success: true, expires_at: formatExpiresAt(expiresAt), request_token }, {
        "authentication-callback": `${websiteOf(url.origin)}/authenticate/${request_token}`
      })
    }
  },
  {
    method: "POST",
    path: "/3/authentication/token/validate_with_login",
    json: true,
    run: ({ body, now, state }) => {
      const username = field(body, "username")
      const password = field(body, "password")
      if (username === undefined || password === undefined) return tmdbError(26)
      const request_token = field(body, "request_token")
      const token = request_token === undefined ? undefined : state.requestTokens.get(request_token)
      if (token === undefined || token.version === 4 || token.status === "used" || now >= token.expiresAt) {
        return tmdbError(33)
      }
      const account = state.accounts.get(username)
      if (account === undefined || account.password !== password) return tmdbError(30)
      if (account.status === "disabled") return tmdbError(31)
      if (account.status === "unverified") return tmdbError(32)
      token.status = "approved"
      token.username = account.username
      return json(200, { success: true, expires_at: formatExpiresAt(token.expiresAt), request_token })
    }
  },
  {
    method: "POST",
    path: "/3/authentication/session/new",
    json: true,
    run: ({ body, now, state }) => {
      const request_token = field(body, "request_token")
      if (request_token === undefined) return mustBeProvided("request_token")
      const token = state.requestTokens.get(request_token)
      if (token === undefined || token.version === 4 || token.status === "used" || now >= token.expiresAt) {
        return tmdbError(33)
      }
      if (token.status !== "approved" || token.username === undefined) return sessionDenied
      token.status = "used"
      return createSession(state, token.username)
    }
  },
  {
    method: "POST",
    path: "/3/authentication/session/convert/4",
    json: true,
    run: ({ body, state }) => {
      const access_token = field(body, "access_token")
      if (access_token === undefined) return mustBeProvided("access_token")
      const username = state.accessTokens.get(access_token)
      return username === undefined ? tmdbError(35) : createSession(state, username, access_token)
    }
  },
  {
    method: "DELETE",
    path: "/3/authentication/session",
    json: true,
    run: ({ body, state }) => {
      const session_id = field(body, "session_id")
      if (session_id === undefined) return mustBeProvided("session_id")
      state.convertedSessions.delete(session_id)
      return state.sessions.delete(session_id) ? json(200, { success: true }) : tmdbError(6)
    }
  },
  {
    method: "POST",
    path: "/4/auth/request_token",
    json: true,
    run: ({ body, now, state }) => {
      const redirect_to = body["redirect_to"]
      if (redirect_to !== undefined && redirect_to !== null && typeof redirect_to !== "string") return tmdbError(47)
      const request_token = issueV4RequestToken(state, now, typeof redirect_to === "string" ? redirect_to : undefined)
      return json(200, { status_message: "Success.", request_token, success: true, status_code: 1 })
    }
  },
  {
    method: "POST",
    path: "/4/auth/access_token",
    json: true,
    run: ({ body, now, state }) => {
      const request_token = field(body, "request_token")
      if (request_token === undefined) return mustBeProvided("request_token")
      const token = state.requestTokens.get(request_token)
      if (token === undefined || token.version !== 4 || token.status === "used" || now >= token.expiresAt) {
        return tmdbError(33)
      }
      const account = token.username === undefined ? undefined : state.accounts.get(token.username)
      // Pending or denied: TMDB's code 41, "This request token hasn't been approved by the user." (422).
      if (token.status !== "approved" || account === undefined) return tmdbError(41)
      token.status = "used"
      const access_token = issueAccessToken(state, account, now)
      return json(200, {
        status_message: "Success.",
        access_token,
        success: true,
        status_code: 1,
        account_id: v4AccountId(account)
      })
    }
  },
  {
    method: "DELETE",
    path: "/4/auth/access_token",
    json: true,
    run: ({ body, state }) => {
      const access_token = field(body, "access_token")
      if (access_token === undefined) return mustBeProvided("access_token")
      return revokeAccessToken(state, access_token)
        ? json(200, { status_message: "The item/record was deleted successfully.", success: true, status_code: 13 })
        : tmdbError(6)
    }
  },
  {
    method: "GET",
    path: "/3/account",
    json: false,
    run: ({ state, url }) => {
      const session_id = url.searchParams.get("session_id") ?? undefined
      const username = session_id === undefined ? undefined : state.sessions.get(session_id)
      const account = username === undefined ? undefined : state.accounts.get(username)
      if (account === undefined) return tmdbError(3)
      return json(200, {
        avatar: { gravatar: { hash: account.gravatar_hash }, tmdb: { avatar_path: account.avatar_path } },
        id: account.id,
        iso_639_1: account.iso_639_1,
        iso_3166_1: account.iso_3166_1,
        name: account.name,
        include_adult: account.include_adult,
        username: account.username
      })
    }
  }
]

const bearerOf = (authorization: string | undefined): string | undefined => {
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization)
  return match?.[1]
}

const isAuthorized = (state: State, request: HttpServerRequest.HttpServerRequest, url: URL): boolean => {
  const bearer = bearerOf(request.headers["authorization"])
  if (bearer !== undefined && (state.bearerTokens.has(bearer) || state.accessTokens.has(bearer))) return true
  // v4 accepts only a Bearer token: an api_key is refused like a wrong key (401, code 7).
  if (url.pathname.startsWith("/4/")) return false
  const key = url.searchParams.get("api_key")
  return key !== null && state.apiKeys.has(key)
}

/** The fields of a JSON object body (an absent body has none), or `undefined` if it is not one. */
const parseObject = (text: string): Readonly<Record<string, unknown>> | undefined => {
  if (text.trim() === "") return {}
  try {
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? parsed as Record<string, unknown>
      : undefined
  } catch {
    return undefined
  }
}

/** The request's body, `""` when there is none or it could not be read. */
export const bodyText = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<string> =>
  Effect.orElseSucceed(request.text, () => "")

const handler = (state: State, route: Route) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const body = route.json ? parseObject(yield* bodyText(request)) : {}
    if (body === undefined) return tmdbError(47)
    const now = yield* Clock.currentTimeMillis
    return route.run({ state, url: new URL(request.originalUrl), body, now })
  })

const paths: ReadonlySet<string> = new Set(routes.map((route) => route.path))

/** TMDB's answer to an API request: credentials first, then the route, its method and its body. */
export const api = (
  state: State
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> => {
  const router = routes.reduce(
    (router, route) => HttpRouter.route(route.method)(router, route.path, handler(state, route)),
    HttpRouter.empty
  )
  // Paths match exactly: "/3/authentication/" is not "/3/authentication".
  const routed = router.pipe(
    HttpRouter.withRouterConfig({ ignoreTrailingSlash: false, ignoreDuplicateSlashes: false }),
    Effect.catchTag(
      "RouteNotFound",
      ({ request }) => Effect.succeed(tmdbError(paths.has(new URL(request.originalUrl).pathname) ? 42 : 34))
    )
  )
  return Effect.flatMap(
    HttpServerRequest.HttpServerRequest,
    (request) => isAuthorized(state, request, new URL(request.originalUrl)) ? routed : Effect.succeed(tmdbError(7))
  )
}
