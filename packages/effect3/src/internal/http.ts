/**
 * One call to TMDB: check the config, build the request from the credentials and config, send it
 * with the user's `HttpClient` (platform tracing off: its span records the URL with the api_key;
 * redirects not followed), read the answer up to `maxResponseBytes`, time each attempt out,
 * retry where that is safe, and turn the answer into a decoded value or a tagged error.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { constTrue } from "effect/Function"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import { TmdbConfig } from "../TmdbConfig.js"
import { TmdbCredentials } from "../TmdbCredentials.js"
import { RateLimiterUnavailable, TransportError } from "../TmdbError.js"
import type { CommonError, EndpointError, InvalidInput } from "../TmdbError.js"
import { TmdbRateLimiter } from "../TmdbRateLimiter.js"
import { interpret } from "./answer.js"
import type { Received } from "./answer.js"
import { check } from "./config.js"
import { buildRequest, secretsOf } from "./endpoint.js"
import type { Call, Endpoint } from "./endpoint.js"
import { isSessionGone } from "./logout.js"
import { retrySchedule } from "./retry.js"
import { fromHttpClientError } from "./transportError.js"

/** What the endpoint's span records once the call is over. */
interface Progress {
  readonly attempts: number
  /** The HTTP status of the last attempt's answer; none when it got no answer. */
  readonly httpStatus: number | undefined
}

/**
 * Sends one call to an endpoint with the current credentials, client and config, in a span named
 * after the endpoint's function. `input` reads and checks the call's parameters when it runs (not
 * when it is built), before the credentials are looked at and before any request.
 */
export const call: {
  <A, E extends EndpointError, Local = never>(
    endpoint: Endpoint<A, E, Local>
  ): Effect.Effect<A, CommonError | E | Local, TmdbCredentials | HttpClient.HttpClient>
  <A, E extends EndpointError, Local = never>(
    endpoint: Endpoint<A, E, Local>,
    input: () => Either.Either<Call, InvalidInput>
  ): Effect.Effect<A, CommonError | E | Local | InvalidInput, TmdbCredentials | HttpClient.HttpClient>
} = <A, E extends EndpointError, Local = never>(
  endpoint: Endpoint<A, E, Local>,
  input: () => Either.Either<Call, InvalidInput> = () => Either.right({})
): Effect.Effect<A, CommonError | E | Local | InvalidInput, TmdbCredentials | HttpClient.HttpClient> =>
  Effect.flatMap(
    Ref.make<Progress>({ attempts: 0, httpStatus: undefined }),
    (progress) =>
      send(endpoint, input, progress).pipe(
        Effect.tapError(annotateFailure),
        Effect.ensuring(Effect.flatMap(Ref.get(progress), annotateProgress))
      )
  ).pipe(
    Effect.withSpan(endpoint.span, {
      kind: "client",
      captureStackTrace: false,
      attributes: { "tmdb.endpoint": endpoint.label }
    })
  )

const send = <A, E extends EndpointError, Local>(
  endpoint: Endpoint<A, E, Local>,
  input: () => Either.Either<Call, InvalidInput>,
  progress: Ref.Ref<Progress>
): Effect.Effect<A, CommonError | E | Local | InvalidInput, TmdbCredentials | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const call = yield* Effect.suspend(input)
    const credentials = yield* TmdbCredentials
    if (credentials._tag === "ApiKey" && endpoint.refuseApiKey !== undefined) {
      return yield* Effect.fail(endpoint.refuseApiKey(endpoint.label))
    }
    const config = yield* Either.match(check(yield* TmdbConfig), { onLeft: Effect.fail, onRight: Effect.succeed })
    const client = HttpClient.withTracerDisabledWhen(yield* HttpClient.HttpClient, constTrue)
    const request = buildRequest(endpoint, credentials, config.baseUrl, call)
    const secrets = [
      ...secretsOf(call.query),
      ...secretsOf(call.body),
      Redacted.value(credentials._tag === "BearerToken" ? credentials.token : credentials.key)
    ]
    const { maxResponseBytes, rateLimit, timeout } = config
    const init = yield* Effect.serviceOption(FetchHttpClient.RequestInit)
    // every attempt waits its turn within TMDB's rate limit, before (not inside) its timeout and
    // at most maxWait, in the budget of this origin whatever the credentials: TMDB limits per
    // client address, and a server acting with each user's access token would otherwise pace
    // each user apart. The place is held until the attempt is over (see TmdbRateLimiter).
    const pace = rateLimit === false ?
      Effect.void :
      Effect.flatMap(TmdbRateLimiter, (limiter) =>
        limiter.take(new URL(config.baseUrl).origin, rateLimit).pipe(
          Effect.timeoutFail({
            duration: rateLimit.maxWait,
            onTimeout: () =>
              new RateLimiterUnavailable({
                reason: "WaitTooLong",
                detail: `no place in the rate limit within ${Duration.format(rateLimit.maxWait)}`
              })
          })
        ))

    const attempt = Ref.update(progress, ({ attempts }) => ({ attempts: attempts + 1, httpStatus: undefined })).pipe(
      Effect.zipRight(client.execute(request)),
      // FetchHttpClient follows redirects unless told not to; the caller's own init is kept
      Effect.provideService(FetchHttpClient.RequestInit, { ...Option.getOrUndefined(init), redirect: "manual" }),
      Effect.flatMap((response) => read(response, maxResponseBytes)),
      Effect.mapError((error) => fromHttpClientError(endpoint.label, error, secrets)),
      // interrupting the request aborts it
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () =>
          new TransportError({
            reason: "Timeout",
            endpoint: endpoint.label,
            detail: `no answer within ${Duration.format(timeout)}`
          })
      }),
      (timed) => Effect.scoped(Effect.zipRight(pace, timed)),
      Effect.tap((answer) => Ref.update(progress, ({ attempts }) => ({ attempts, httpStatus: answer.status }))),
      Effect.flatMap((answer) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => interpret(endpoint, answer, secrets, now))
      )
    )
    if (config.retry === false) return yield* attempt
    const started = yield* Clock.currentTimeMillis
    const retried = Effect.retry(attempt, retrySchedule(config.retry, endpoint.method, started))
    const { goneAfterRetry } = endpoint
    if (goneAfterRetry === undefined) return yield* retried
    // a logout retried after a lost answer that now hears "unknown session" has succeeded
    return yield* Effect.catchIf(retried, isSessionGone, (error) =>
      Effect.flatMap(
        Ref.get(progress),
        ({ attempts }) => attempts > 1 ? Effect.succeed(goneAfterRetry) : Effect.fail(error)
      ))
  })

const decoder = new TextDecoder()

/** The first `length` bytes of `chunks` as one array. */
const joined = (chunks: ReadonlyArray<Uint8Array>, length: number): Uint8Array => {
  const body = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    if (offset >= length) break
    body.set(chunk.subarray(0, length - offset), offset)
    offset += chunk.length
  }
  return body
}

/**
 * An answer's body, no further than `limit` bytes, so an endless or huge body costs at most
 * `limit` bytes of memory. One that declares a length within the limit, uncompressed, is read
 * whole: HTTP framing stops it there. Any other is read as it streams in and stopped at the
 * limit, which aborts the request (with every client); a compressed body is read this way too,
 * since a client that inflates it can make it far longer than its declared length.
 */
const read = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<Received, HttpClientError.ResponseError> => {
  const declared = Number(response.headers["content-length"] ?? Number.NaN)
  const encoding = response.headers["content-encoding"]
  const whole = declared <= limit && (encoding === undefined || encoding === "identity")
  return Effect.map(
    whole ? Effect.map(response.arrayBuffer, (buffer) => new Uint8Array(buffer)) : readStreaming(response, limit),
    (body): Received => ({
      status: response.status,
      retryAfter: response.headers["retry-after"],
      text: decoder.decode(body.length > limit ? body.subarray(0, limit) : body),
      overLimit: body.length > limit ? limit : undefined
    })
  )
}

/**
 * A body read as it streams in, chunk by chunk, up to one byte past `limit` (which tells it was
 * longer). The stream is pulled here, so its failure comes back as a value to this code alone and
 * the stream's machinery never logs the platform error (it carries the request).
 */
const readStreaming = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<Uint8Array, HttpClientError.ResponseError> =>
  Effect.scoped(Effect.flatMap(Stream.toPull(response.stream), (pull) => {
    const chunks: Array<Uint8Array> = [] // made per answer: the loop appends to it
    let bytes = 0
    const done = Effect.sync(() => joined(chunks, Math.min(bytes, limit + 1)))
    const next: Effect.Effect<Uint8Array, HttpClientError.ResponseError> = Effect.matchEffect(pull, {
      onFailure: Option.match({
        onNone: () => done,
        // a body-less answer (a redirect, a 204) has no stream
        onSome: (error) => error.reason === "EmptyBody" ? done : Effect.fail(error)
      }),
      onSuccess: (chunk) => {
        for (const part of chunk) { // a body may come a byte at a time
          chunks.push(part)
          bytes += part.length
        }
        return bytes > limit ? done : next
      }
    })
    return next
  }))

const annotateProgress = ({ attempts, httpStatus }: Progress): Effect.Effect<void> =>
  Effect.zipRight(
    Effect.annotateCurrentSpan("tmdb.attempts", attempts),
    httpStatus === undefined ? Effect.void : Effect.annotateCurrentSpan("http.response.status_code", httpStatus)
  )

/** Records on the endpoint's span why the call failed. */
const annotateFailure = (error: unknown): Effect.Effect<void> => {
  const { _tag, status_code } = error as { readonly _tag?: unknown; readonly status_code?: unknown }
  return Effect.zipRight(
    Effect.annotateCurrentSpan("tmdb.error", _tag),
    status_code === undefined ? Effect.void : Effect.annotateCurrentSpan("tmdb.status_code", status_code)
  )
}
