/**
 * The simulator as one `HttpApp`, which both transports serve: TMDB's approval pages, else its
 * API, where every request is recorded, then the first matching fault applies, else TMDB's
 * answer.
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import type * as Types from "effect/Types"
import { approvalPages } from "./approvalPages.js"
import { Connection } from "./connection.js"
import type { RecordedRequest } from "./model.js"
import { custom, htmlPage, malformedJson, parseJson, rateLimited, truncated } from "./responses.js"
import { api, bodyText } from "./routes.js"
import { takeFault } from "./state.js"
import type { State } from "./state.js"

/** The app of a simulator's state. */
export const makeApp = (state: State): HttpApp.Default => {
  const answer = api(state)
  const apiWithFaults = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const url = new URL(request.originalUrl)
    const recorded: Types.Mutable<RecordedRequest> = {
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
    recorded.body = parseJson(yield* bodyText(request))
    if (fault === undefined) return yield* answer
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
        return yield* Effect.zipRight(Effect.sleep(fault.duration), answer)
      case "Drop":
        return yield* Effect.zipRight(fault.afterProcessing ? answer : Effect.void, connection.close("reset"))
    }
  })
  // The pages, else the API; a path the router can't even read (bad %-escapes) is the API's too.
  return approvalPages(state).pipe(
    HttpRouter.all("*", apiWithFaults),
    Effect.catchTag("RouteNotFound", () => apiWithFaults)
  )
}
