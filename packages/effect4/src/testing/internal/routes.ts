/**
 * TMDB's v3 authentication and account endpoints and v4 auth endpoints, for the simulator's
 * router. Each route is an endpoint's declaration (the client's: method, path, success schema)
 * and a pure function of the state, the request and the current time; a success is the value
 * the client decodes, encoded with the same schema. A route reads a JSON body unless it is a GET. Bodies, headers and the legacy GET forms
 * answer as the responses recorded from the live API (`fixtures/` at the repository root) do.
 */
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as HttpRouter from "effect/http/HttpRouter"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import type * as HttpServerResponse from "effect/http/HttpServerResponse"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Account from "../../Account.js"
import * as Authentication from "../../Authentication.js"
import * as AuthV4 from "../../AuthV4.js"
import type { Method } from "../../internal/client/endpoint.js"
import { websiteOf } from "../../internal/util/url.js"
import { bodyText } from "./body.js"
import type { BodyTooLarge } from "./body.js"
import { json, mustBeProvided, parseJson, statusMessage, tmdbError } from "./responses.js"
import {
  issueAccessToken,
  issueV4RequestToken,
  liveGuestSession,
  liveRequestToken,
  revokeAccessToken,
  v4AccountId
} from "./state.js"
import type { State } from "./state.js"

interface Input {
  readonly state: State
  /** The request's URL (absolute). */
  readonly url: URL
  /** The JSON body's fields, or the query's in a legacy GET form (empty for routes without either). */
  readonly body: Readonly<Record<string, unknown>>
  /** Whether the fields came in the query string of a legacy GET form. */
  readonly legacyGet: boolean
  /** The path's parameters, by the names in the route's path (`:movie_id`). */
  readonly params: Readonly<Record<string, string | undefined>>
  /** Epoch millis, from `Clock`. */
  readonly now: number
}

interface Route {
  /** The endpoint's declaration, as the client reads it. */
  readonly endpoint: { readonly method: Method; readonly path: string }
  /**
   * Whether TMDB still answers the route's old GET form, its fields in the query string (as
   * recorded from the live API: same bodies as the POST form).
   */
  readonly legacyGet?: true | undefined
  readonly run: (input: Input) => HttpServerResponse.HttpServerResponse
}

/** A 200 answer: the value encoded by the endpoint's success schema, the one the client decodes. */
const ok = <A>(
  endpoint: { readonly success: Schema.Codec<A, unknown> },
  value: A,
  headers?: Readonly<Record<string, string>>
): HttpServerResponse.HttpServerResponse => json(200, Schema.encodeSync(endpoint.success)(value), headers)

/** A non-empty string field, else `undefined`. */
const field = (body: Readonly<Record<string, unknown>>, name: string): string | undefined => {
  const value = body[name]
  return typeof value === "string" && value !== "" ? value : undefined
}

const createSession = (
  endpoint: typeof Authentication.endpoints.createSession | typeof Authentication.endpoints.createSessionFromV4Token,
  state: State,
  username: string,
  fromAccessToken?: string
): HttpServerResponse.HttpServerResponse => {
  const session_id = state.nextId(40)
  state.sessions.set(session_id, username)
  if (fromAccessToken !== undefined) state.convertedSessions.set(session_id, fromAccessToken)
  return ok(endpoint, new Authentication.Session({ success: true, session_id: Redacted.make(session_id) }))
}

/** TMDB's answer for an unapproved request token (and a GET without one), as recorded. */
const sessionDenied = tmdbError(17, { failure: true })

/**
 * Who a rating is for: a live v3 session (`session_id`) or guest session (`guest_session_id`)
 * in the query, else `undefined` (an expired guest session included).
 */
const rater = (state: State, url: URL, now: number): string | undefined => {
  const session_id = url.searchParams.get("session_id")
  if (session_id !== null) return state.sessions.has(session_id) ? session_id : undefined
  const guest_session_id = url.searchParams.get("guest_session_id")
  return guest_session_id !== null && liveGuestSession(state, guest_session_id, now) ? guest_session_id : undefined
}

/** TMDB's ratings: 0.5 to 10 in steps of 0.5. */
const isRating = (value: unknown): boolean =>
  typeof value === "number" && value >= 0.5 && value <= 10 && Number.isInteger(value * 2)

const requestToken = (request_token: string, expiresAt: number) =>
  new Authentication.RequestToken({ success: true, expires_at: DateTime.makeUnsafe(expiresAt), request_token })

const routes: ReadonlyArray<Route> = [
  {
    endpoint: Authentication.endpoints.validateKey,
    // as recorded: `{ "success": true }` alone
    run: () => ok(Authentication.endpoints.validateKey, new Authentication.KeyValidation({ success: true }))
  },
  {
    endpoint: Authentication.endpoints.createGuestSession,
    run: ({ now, state }) => {
      const guest_session_id = state.nextId(32)
      const expiresAt = now + state.guestSessionTtl
      state.guestSessions.set(guest_session_id, expiresAt)
      return ok(
        Authentication.endpoints.createGuestSession,
        new Authentication.GuestSession({
          success: true,
          guest_session_id: Redacted.make(guest_session_id),
          expires_at: DateTime.makeUnsafe(expiresAt)
        })
      )
    }
  },
  {
    endpoint: Authentication.endpoints.createRequestToken,
    run: ({ now, state, url }) => {
      const request_token = state.nextId(40)
      const expiresAt = now + state.requestTokenTtl
      state.requestTokens.set(request_token, { expiresAt, status: "pending", username: undefined })
      return ok(Authentication.endpoints.createRequestToken, requestToken(request_token, expiresAt), {
        "authentication-callback": Authentication.approvalUrl(request_token, { webUrl: websiteOf(url.origin) })
      })
    }
  },
  {
    endpoint: Authentication.endpoints.createSessionWithLogin,
    legacyGet: true,
    run: ({ body, now, state }) => {
      const username = field(body, "username")
      const password = field(body, "password")
      if (username === undefined || password === undefined) return tmdbError(26)
      // The login is checked before the token: a wrong login without a token is 30, as recorded.
      const account = state.accounts.get(username)
      if (account === undefined || account.password !== password) return tmdbError(30)
      if (account.status === "disabled") return tmdbError(31)
      if (account.status === "unverified") return tmdbError(32)
      const request_token = field(body, "request_token")
      const token = liveRequestToken(state, request_token, 3, now)
      if (request_token === undefined || token === undefined) return tmdbError(33)
      token.status = "approved"
      token.username = account.username
      return ok(Authentication.endpoints.createSessionWithLogin, requestToken(request_token, token.expiresAt))
    }
  },
  {
    endpoint: Authentication.endpoints.createSession,
    legacyGet: true,
    run: ({ body, legacyGet, now, state }) => {
      const request_token = field(body, "request_token")
      if (request_token === undefined) return legacyGet ? sessionDenied : mustBeProvided("request_token")
      const token = liveRequestToken(state, request_token, 3, now)
      if (token === undefined) return tmdbError(33)
      if (token.status !== "approved" || token.username === undefined) return sessionDenied
      token.status = "used"
      return createSession(Authentication.endpoints.createSession, state, token.username)
    }
  },
  {
    endpoint: Authentication.endpoints.createSessionFromV4Token,
    run: ({ body, state }) => {
      const access_token = field(body, "access_token")
      if (access_token === undefined) return mustBeProvided("access_token")
      const username = state.accessTokens.get(access_token)
      return username === undefined
        ? tmdbError(35)
        : createSession(Authentication.endpoints.createSessionFromV4Token, state, username, access_token)
    }
  },
  {
    endpoint: Authentication.endpoints.deleteSession,
    run: ({ body, state }) => {
      const session_id = field(body, "session_id")
      if (session_id === undefined) return mustBeProvided("session_id")
      state.convertedSessions.delete(session_id)
      return state.sessions.delete(session_id)
        ? ok(Authentication.endpoints.deleteSession, new Authentication.SessionDeleted({ success: true }))
        : tmdbError(6)
    }
  },
  {
    endpoint: AuthV4.endpoints.createRequestToken,
    run: ({ body, now, state }) => {
      const redirect_to = body["redirect_to"]
      if (redirect_to !== undefined && redirect_to !== null && typeof redirect_to !== "string") return tmdbError(47)
      const request_token = issueV4RequestToken(state, now, typeof redirect_to === "string" ? redirect_to : undefined)
      return ok(
        AuthV4.endpoints.createRequestToken,
        new AuthV4.RequestToken({ status_message: statusMessage(1), request_token, success: true, status_code: 1 })
      )
    }
  },
  {
    endpoint: AuthV4.endpoints.createAccessToken,
    run: ({ body, now, state }) => {
      const request_token = field(body, "request_token")
      if (request_token === undefined) return mustBeProvided("request_token")
      const token = liveRequestToken(state, request_token, 4, now)
      if (token === undefined) return tmdbError(33)
      const account = token.username === undefined ? undefined : state.accounts.get(token.username)
      // Pending or denied: not approved.
      if (token.status !== "approved" || account === undefined) return tmdbError(41)
      token.status = "used"
      return ok(
        AuthV4.endpoints.createAccessToken,
        new AuthV4.AccessToken({
          account_id: v4AccountId(account),
          access_token: Redacted.make(issueAccessToken(state, account, now)),
          success: true,
          status_message: statusMessage(1),
          status_code: 1
        })
      )
    }
  },
  {
    endpoint: AuthV4.endpoints.deleteAccessToken,
    run: ({ body, state }) => {
      const access_token = field(body, "access_token")
      if (access_token === undefined) return mustBeProvided("access_token")
      return revokeAccessToken(state, access_token)
        ? ok(
          AuthV4.endpoints.deleteAccessToken,
          new AuthV4.AccessTokenDeleted({
            status_message: statusMessage(13),
            success: true,
            status_code: 13
          })
        )
        : tmdbError(6)
    }
  },
  {
    // What a guest session is for, so its expiry shows: no client declaration (the library has
    // no rating call). Answers as TMDB does: 201 whatever the code.
    endpoint: { method: "POST", path: "/3/movie/:movie_id/rating" },
    run: ({ body, now, params, state, url }) => {
      const who = rater(state, url, now)
      // TMDB documents no code for an expired guest session; peers report code 3 wherever a
      // guest session is refused.
      if (who === undefined) return tmdbError(3)
      const movie_id = params["movie_id"]
      if (movie_id === undefined || !/^[1-9]\d*$/.test(movie_id)) return tmdbError(34)
      if (!isRating(body["value"])) return tmdbError(18)
      const rated = state.ratings.get(who) ?? new Set<string>()
      state.ratings.set(who, rated)
      const status_code = rated.has(movie_id) ? 12 : 1
      rated.add(movie_id)
      return json(201, { success: true, status_code, status_message: statusMessage(status_code) })
    }
  },
  {
    endpoint: Account.endpoints.details,
    run: ({ state, url }) => {
      const session_id = url.searchParams.get("session_id") ?? undefined
      const username = session_id === undefined ? undefined : state.sessions.get(session_id)
      const account = username === undefined ? undefined : state.accounts.get(username)
      if (account === undefined) return tmdbError(3)
      return ok(
        Account.endpoints.details,
        new Account.AccountDetails({
          avatar: new Account.Avatar({
            gravatar: { hash: account.gravatar_hash },
            tmdb: { avatar_path: account.avatar_path }
          }),
          id: account.id,
          iso_639_1: account.iso_639_1,
          iso_3166_1: account.iso_3166_1,
          name: account.name,
          include_adult: account.include_adult,
          username: account.username
        })
      )
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
  // v4 accepts only a Bearer token: an api_key is refused like a wrong key.
  if (url.pathname.startsWith("/4/")) return false
  const key = url.searchParams.get("api_key")
  return key !== null && state.apiKeys.has(key)
}

/** The fields of a JSON object body (an absent body has none), or `undefined` if it is not one. */
const parseObject = (text: string): Readonly<Record<string, unknown>> | undefined => {
  if (text.trim() === "") return {}
  const parsed = parseJson(text)
  return Predicate.isObject(parsed) ? parsed : undefined
}

/**
 * A route's handler: its fields read (a JSON body unless it is a GET, the query in a legacy GET
 * form) and checked, then its function run.
 */
const handler = (state: State, route: Route, legacyGet: boolean) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const url = new URL(request.originalUrl)
    const body = legacyGet
      ? Object.fromEntries(url.searchParams)
      : route.endpoint.method === "GET"
      ? {}
      : parseObject(yield* bodyText)
    if (body === undefined) return tmdbError(47)
    const now = yield* Clock.currentTimeMillis
    const params = yield* HttpRouter.params
    return route.run({ state, url, body, legacyGet, now, params })
  })

/** A declared path as the router takes it: the declarations spell absolute paths. */
const routePath = (path: string): HttpRouter.PathInput => {
  if (!path.startsWith("/")) throw new Error(`TmdbSimulator: "${path}" is not an absolute path`)
  return `/${path.slice(1)}`
}

/** TMDB's API endpoints: method and path from their declarations, and the handler of each. */
export const endpoints = (state: State): ReadonlyArray<HttpRouter.Route<BodyTooLarge>> =>
  routes.flatMap((route) => {
    const path = routePath(route.endpoint.path)
    const declared = HttpRouter.route(route.endpoint.method, path, handler(state, route, false))
    return route.legacyGet === true
      ? [declared, HttpRouter.route("GET", path, handler(state, route, true))]
      : [declared]
  })

const paths: ReadonlySet<string> = new Set(routes.map((route) => route.endpoint.path))

/** TMDB's answer where no route matched: a known path with another method (42), else 34. */
export const noRoute: Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> =
  Effect.map(
    HttpServerRequest.HttpServerRequest,
    (request) => tmdbError(paths.has(new URL(request.originalUrl).pathname) ? 42 : 34)
  )

/** The handler, for a request with credentials the simulator accepts; else TMDB's answer to a wrong key. */
export const authorized = <E, R>(
  state: State,
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, E, R | HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(
    HttpServerRequest.HttpServerRequest,
    (request) => isAuthorized(state, request, new URL(request.originalUrl)) ? handler : Effect.succeed(tmdbError(7))
  )
