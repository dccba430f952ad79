/**
 * The simulator as an in-memory `HttpClient`: no sockets, the same handler as the server.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import type { Handler } from "./core.js"

const decoder = new TextDecoder()

const bodyText = (request: HttpClientRequest.HttpClientRequest): string | undefined => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return undefined
    case "Uint8Array":
      return decoder.decode(body.body)
    case "Raw":
      return typeof body.body === "string"
        ? body.body
        : body.body instanceof Uint8Array
        ? decoder.decode(body.body)
        : String(body.body)
    // Not JSON, whatever it holds: TMDB answers 400 (code 47) where it expects a JSON body.
    case "FormData":
    case "Stream":
      return `<${body._tag}>`
  }
}

/** A connection error as Node reports it. */
const connectionError = (code: "ECONNREFUSED" | "ECONNRESET", url: URL): Error => {
  const port = url.port !== "" ? url.port : url.protocol === "https:" ? "443" : "80"
  const message = code === "ECONNREFUSED" ? `connect ECONNREFUSED 127.0.0.1:${port}` : "socket hang up"
  return Object.assign(new Error(message), { code })
}

/** A body that sends `text`, then fails as a connection closed mid-body does. */
const truncatedStream = (text: string): ReadableStream<Uint8Array> =>
  new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text))
      controller.error(Object.assign(new Error("terminated"), { code: "ECONNRESET" }))
    }
  })

/** An `HttpClient` answering from the handler. */
export const makeClient = (handler: Handler): HttpClient.HttpClient =>
  HttpClient.make((request, url) => {
    const head = {
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...request.headers },
      origin: url.origin
    }
    return Effect.flatMap(handler(head, Effect.sync(() => bodyText(request))), (outcome) => {
      if (outcome._tag === "Truncated") {
        return Effect.succeed(HttpClientResponse.fromWeb(
          request,
          new Response(truncatedStream(outcome.body), { status: outcome.status, headers: outcome.headers })
        ))
      }
      if (outcome._tag === "Answer") {
        const nullBody = outcome.body === "" || outcome.status === 204 || outcome.status === 304
        return Effect.succeed(HttpClientResponse.fromWeb(
          request,
          new Response(nullBody ? null : outcome.body, { status: outcome.status, headers: outcome.headers })
        ))
      }
      return Effect.fail(
        new HttpClientError.RequestError({
          request,
          reason: "Transport",
          cause: connectionError(outcome._tag === "Refuse" ? "ECONNREFUSED" : "ECONNRESET", url)
        })
      )
    })
  })
