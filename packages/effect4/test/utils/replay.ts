/**
 * An HttpClient that answers every request with canned answers (in order, the last one
 * repeating) and records what it was sent: for decoding tests against recorded TMDB traffic.
 */
import { Effect, Layer } from "effect"
import { HttpClient, HttpClientResponse } from "effect/http"
import type { HttpClientRequest } from "effect/http"
import { TmdbRateLimiter } from "tmdb-effect"

export interface Answer {
  readonly status: number
  readonly body: unknown
  readonly headers?: Record<string, string>
}

export interface Sent {
  readonly method: string
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
}

const bodyText = (request: HttpClientRequest.HttpClientRequest): string | undefined =>
  request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : undefined

export const replay = (...answers: ReadonlyArray<Answer>) => {
  const sent: Array<Sent> = []
  const client = HttpClient.make((request, url) =>
    Effect.sync(() => {
      sent.push({ method: request.method, url, headers: request.headers, body: bodyText(request) })
      const answer = answers[Math.min(sent.length - 1, answers.length - 1)]!
      const body = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body)
      return HttpClientResponse.fromWeb(
        request,
        new Response(body, { status: answer.status, headers: answer.headers ?? { "content-type": "application/json" } })
      )
    })
  )
  // tests of decoding, not of pacing: a fresh limiter per layer that never waits
  return { sent, layer: Layer.merge(Layer.succeed(HttpClient.HttpClient, client), TmdbRateLimiter.layerUnlimited) }
}
