/**
 * The simulator as one HTTP app, which both transports serve: an `HttpRouter` of TMDB's approval
 * pages and its API, where every API request is recorded, then the first matching fault applies,
 * else the opt-in rate limit, else TMDB's answer; a body past 16 KiB is answered 413 (`body.ts`);
 * CORS headers on every answer.
 */
import * as Clock from "effect/Clock"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FindMyWay from "effect/http/FindMyWay"
import * as HttpEffect from "effect/http/HttpEffect"
import * as HttpMiddleware from "effect/http/HttpMiddleware"
import * as HttpRouter from "effect/http/HttpRouter"
import * as HttpServerError from "effect/http/HttpServerError"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import type * as HttpServerResponse from "effect/http/HttpServerResponse"
import type * as Scope from "effect/Scope"
import type * as Types from "effect/Types"
import { approvalPages } from "./approvalPages.js"
import { bodyText } from "./body.js"
import type { BodyTooLarge } from "./body.js"
import { Connection } from "./connection.js"
import type { RecordedRequest } from "./model.js"
import { limited } from "./rateLimit.js"
import { bodyTooLarge, custom, htmlPage, malformedJson, parseJson, rateLimited, truncated } from "./responses.js"
import { authorized, endpoints, noRoute } from "./routes.js"
import { takeFault } from "./state.js"
import type { State } from "./state.js"

/** A simulator's app: it answers every request it is given. */
export type App = Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  HttpServerRequest.HttpServerRequest | Scope.Scope
>

/**
 * The app as a web handler (`Request` in, `Response` out), each request run with the services
 * given (the caller's `Clock` among them) plus those a transport adds per request.
 */
export const webHandler = (
  app: App,
  services: Context.Context<never>
): (request: Request, context?: Context.Context<never>) => Promise<Response> =>
  HttpEffect.toWebHandlerWith<never, HttpServerRequest.HttpServerRequest | Scope.Scope>(services)(app)

type Handler<E, R> = Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>

/** Records the request, then applies the first matching fault, else runs the handler. */
const withFaults = <E, R>(
  state: State,
  handler: Handler<E, R>
): Handler<E | BodyTooLarge, R | HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const url = new URL(request.originalUrl)
    const recorded: Types.Mutable<RecordedRequest> = {
      at: yield* Clock.currentTimeMillis,
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...request.headers },
      body: undefined
    }
    state.requests.push(recorded)
    const fault = takeFault(state, url.pathname)
    const connection = yield* Connection
    if (fault?._tag === "Refuse") return yield* connection.close("refused")
    recorded.body = parseJson(yield* bodyText)
    if (fault === undefined) return yield* handler
    switch (fault._tag) {
      case "Status":
        return custom(fault.status, fault.body ?? "", fault.headers)
      case "Html":
        return htmlPage(fault.status)
      case "MalformedJson":
        return malformedJson(fault.status)
      case "Truncated":
        return truncated(fault.status)
      case "RateLimit":
        return rateLimited(fault.retryAfter)
      case "Delay":
        return yield* Effect.andThen(Effect.sleep(fault.duration), handler)
      case "Drop":
        return yield* Effect.andThen(fault.afterProcessing ? handler : Effect.void, connection.close("reset"))
    }
  })

/** A body past the limit gets its 413, whatever the route. */
const bounded = <R>(handler: Handler<BodyTooLarge, R>): Handler<never, R> =>
  Effect.catchTag(handler, "BodyTooLarge", () => Effect.succeed(bodyTooLarge()))

/**
 * CORS as browsers observe TMDB's public API (the recordings, made outside a browser, carry no
 * CORS headers): every answer may be read from any origin, and a preflight (`OPTIONS`, answered
 * here, before the API: not recorded, faulted or counted) allows the methods and the headers the
 * library sends; `Accept: application/json` needs no permission. `Retry-After` is exposed so a
 * page can honour it.
 */
const cors = HttpMiddleware.cors({
  allowedMethods: ["GET", "POST", "DELETE"],
  allowedHeaders: ["Authorization", "Content-Type"],
  exposedHeaders: ["Retry-After"]
})

/** The router's only failure: no route for the request. */
const isRouteNotFound = (error: unknown): boolean =>
  HttpServerError.isHttpServerError(error) && error.reason._tag === "RouteNotFound"

/** The app of a simulator's state: one router for the approval pages and the API. */
export const makeApp = (state: State): Effect.Effect<App> =>
  Effect.gen(function*() {
    const api = <R>(handler: Handler<BodyTooLarge, R>) =>
      bounded(withFaults(state, limited(state.rateLimit, authorized(state, handler))))
    // Paths match exactly, as the declarations spell them: a trailing slash or another case
    // makes an unknown path.
    const router = yield* Effect.provideService(HttpRouter.make, HttpRouter.RouterConfig, FindMyWay.strictConfig)
    yield* router.addAll([
      ...approvalPages(state).map((page) => HttpRouter.route(page.method, page.path, bounded(page.handler))),
      ...endpoints(state).map((endpoint) => HttpRouter.route(endpoint.method, endpoint.path, api(endpoint.handler)))
    ])
    return router.asHttpEffect().pipe(
      // Unknown paths, other methods, and paths the router can't read (bad %-escapes) are the API's.
      Effect.catch((error) => isRouteNotFound(error) ? api(noRoute) : Effect.die(error)),
      cors
    )
  })
