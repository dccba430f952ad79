/**
 * The one request-handling core both transports use: record the request, apply the first
 * matching fault, else answer as TMDB would.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Types from "effect/Types"
import type { RecordedRequest } from "../TmdbSimulator.js"
import { respond } from "./routes.js"
import { takeFault } from "./state.js"
import type { State } from "./state.js"
import { custom, htmlPage, malformedJson, parseJson, rateLimited, truncated } from "./wire.js"
import type { Head, Outcome } from "./wire.js"

/**
 * Handles one request. The body is read only when the request is processed (not for a refused
 * connection); `""` counts as no body.
 */
export type Handler = (head: Head, readBody: Effect.Effect<string | undefined>) => Effect.Effect<Outcome>

const refuse: Outcome = { _tag: "Refuse" }
const drop: Outcome = { _tag: "Drop" }

/** The handler of a state. */
export const makeHandler = (state: State): Handler => (head, readBody) =>
  Effect.gen(function*() {
    const recorded: Types.Mutable<RecordedRequest> = {
      method: head.method,
      path: head.path,
      query: head.query,
      headers: head.headers,
      body: undefined
    }
    state.requests.push(recorded)
    const fault = takeFault(state, head.path)
    if (fault?._tag === "Refuse") return refuse
    const read = yield* readBody
    const text = read === "" ? undefined : read
    recorded.body = parseJson(text)
    const process = Effect.map(Clock.currentTimeMillis, (now) => respond(state, head, text, now))
    if (fault === undefined) return yield* process
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
        return yield* Effect.zipRight(Effect.sleep(fault.duration), process)
      case "Drop":
        return fault.afterProcessing ? yield* Effect.as(process, drop) : drop
    }
  })
