/**
 * The simulator as one `HttpApp`, which both transports serve: an `HttpRouter` of TMDB's approval
 * pages and its API, where every request is recorded, then the first matching fault applies,
 * else the opt-in rate limit, else TMDB's answer; a body past 16 KiB is answered 413 (`body.ts`);
 * CORS headers on every answer.
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Types from "effect/Types"
import { approvalPages } from "./approvalPages.js"
import { bodyText, withBody } from "./body.js"
import type { BodyTooLarge, RequestBody } from "./body.js"
import { Connection } from "./connection.js"
import type { RecordedRequest } from "./model.js"
import { limited } from "./rateLimit.js"
import { bodyTooLarge, custom, htmlPage, malformedJson, parseJson, rateLimited, truncated } from "./responses.js"
import { authorized, endpoints, noRoute } from "./routes.js"
import { takeFault } from "./state.js"
import type { State } from "./state.js"

/** Records the request, then applies the first matching fault, else runs the handler. */
const withFaults = <E, R>(
  state: State,
  handler: HttpApp.Default<E, R>
): HttpApp.Default<E | BodyTooLarge, R | RequestBody> =>
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
        return yield* Effect.zipRight(Effect.sleep(fault.duration), handler)
      case "Drop":
        return yield* Effect.zipRight(fault.afterProcessing ? handler : Effect.void, connection.close("reset"))
    }
  })

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

/** The app of a simulator's state: one router for the approval pages and the API. */
export const makeApp = (state: State): HttpApp.Default => {
  const api = <E, R>(handler: HttpApp.Default<E, R>) =>
    withFaults(state, limited(state.rateLimit, authorized(state, handler)))
  const router = endpoints(state).reduce<HttpRouter.HttpRouter<BodyTooLarge, RequestBody>>(
    (router, endpoint) => HttpRouter.route(endpoint.method)(router, endpoint.path, api(endpoint.handler)),
    approvalPages(state)
  )
  return router.pipe(
    // Paths match exactly, as the declarations spell them: a trailing slash makes an unknown path.
    HttpRouter.withRouterConfig({ ignoreTrailingSlash: false, ignoreDuplicateSlashes: false }),
    // Unknown paths, other methods, and paths the router can't read (bad %-escapes) are the API's.
    Effect.catchTag("RouteNotFound", () => api(noRoute)),
    withBody,
    Effect.catchTag("BodyTooLarge", () => Effect.succeed(bodyTooLarge())),
    cors
  )
}
