/**
 * One call to TMDB: check the call's fields and the config, build the request from the
 * credentials and config, send it with the user's `HttpClient` (platform tracing off: its span
 * records the URL with the api_key; redirects not followed), read the answer up to
 * `maxResponseBytes`, time each attempt out, retry where that is safe, and turn the answer into
 * a decoded value or a tagged error.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { constTrue } from "effect/Function"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { TmdbConfig } from "../../TmdbConfig.js"
import { TmdbCredentials } from "../../TmdbCredentials.js"
import { BearerTokenRequired, isSessionGone, RateLimiterUnavailable, TransportError } from "../../TmdbError.js"
import type { CommonError, EndpointError, InvalidInput } from "../../TmdbError.js"
import { TmdbRateLimiter } from "../../TmdbRateLimiter.js"
import { interpret } from "./answer.js"
import type { Received } from "./answer.js"
import { check } from "./config.js"
import type { Endpoint, Fields } from "./endpoint.js"
import { buildRequest, checkFields, secretsOf } from "./request.js"
import { retrySchedule } from "./retry.js"
import { fromHttpClientError } from "./transportError.js"

/** The error a call's fields can fail with: `InvalidInput`, if it has any. */
export type FieldsError<F extends Fields> = keyof F extends never ? never : InvalidInput

/** What a call to an endpoint can fail with. */
export type CallError<E, Local, F extends Fields> = CommonError | E | Local | FieldsError<F>

/** What every call needs from its context. */
export type Requirements = TmdbCredentials | HttpClient.HttpClient

/** What the endpoint's span records once the call is over. */
interface Progress {
  attempts: number
  /** The HTTP status of the last attempt's answer; none when it got no answer. */
  httpStatus: number | undefined
}

/**
 * Sends one call to an endpoint with the current credentials, client and config, in a span named
 * after the endpoint's function. `input` (the call's fields) is checked when the call runs (not
 * when it is built), before the credentials are looked at and before any request.
 */
export const call = <A, E extends EndpointError, Local, F extends Fields>(
  endpoint: Endpoint<A, E, Local, F>,
  input?: unknown
): Effect.Effect<A, CallError<E, Local, F>, Requirements> =>
  Effect.suspend(() => {
    // made per call, when it runs: its attempts update it
    const progress: Progress = { attempts: 0, httpStatus: undefined }
    return send(endpoint, input, progress).pipe(
      Effect.tapError(annotateFailure),
      Effect.ensuring(Effect.suspend(() => annotateProgress(progress)))
    )
  }).pipe(
    // the declaration's phantom types say which of these it can be: BearerTokenRequired only
    // when it is bearerOnly (Local), InvalidInput only when it has fields
    (effect): Effect.Effect<A, CallError<E, Local, F>, Requirements> => effect as never,
    Effect.withSpan(endpoint.span, {
      kind: "client",
      attributes: { "tmdb.endpoint": endpoint.label }
    }, { captureStackTrace: false })
  )

const send = <A, E extends EndpointError, Local, F extends Fields>(
  endpoint: Endpoint<A, E, Local, F>,
  input: unknown,
  progress: Progress
): Effect.Effect<A, CommonError | E | InvalidInput | BearerTokenRequired, Requirements> =>
  Effect.gen(function*() {
    const params = yield* Effect.fromResult(checkFields(endpoint.fields, input))
    const credentials = yield* TmdbCredentials
    if (credentials._tag === "ApiKey" && endpoint.bearerOnly) {
      return yield* Effect.fail(new BearerTokenRequired({ endpoint: endpoint.label }))
    }
    const config = yield* Effect.fromResult(check(yield* TmdbConfig))
    const client = yield* HttpClient.HttpClient
    const request = buildRequest(endpoint, credentials, config.baseUrl, params)
    const secrets = [
      ...secretsOf(params),
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
          Effect.timeoutOrElse({
            duration: rateLimit.maxWait,
            orElse: () =>
              Effect.fail(
                new RateLimiterUnavailable({
                  reason: "WaitTooLong",
                  detail: `no place in the rate limit within ${Duration.format(rateLimit.maxWait)}`
                })
              )
          })
        ))

    const attempt = Effect.sync(() => {
      progress.attempts++
      progress.httpStatus = undefined
    }).pipe(
      Effect.andThen(client.execute(request)),
      // the platform's client span would record the URL, api_key and all
      Effect.provideService(HttpClient.TracerDisabledWhen, constTrue),
      // FetchHttpClient follows redirects unless told not to; the caller's own init is kept
      Effect.provideService(FetchHttpClient.RequestInit, { ...Option.getOrUndefined(init), redirect: "manual" }),
      Effect.flatMap((response) => read(response, maxResponseBytes)),
      Effect.mapError((error) => fromHttpClientError(endpoint.label, error, secrets)),
      // interrupting the request aborts it
      Effect.timeoutOrElse({
        duration: timeout,
        orElse: () =>
          Effect.fail(
            new TransportError({
              reason: "Timeout",
              endpoint: endpoint.label,
              detail: `no answer within ${Duration.format(timeout)}`
            })
          )
      }),
      (timed) => Effect.scoped(Effect.andThen(pace, timed)),
      Effect.tap((answer) =>
        Effect.sync(() => {
          progress.httpStatus = answer.status
        })
      ),
      Effect.flatMap((answer) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Effect.fromResult(interpret<A, E>(endpoint, answer, secrets, now)))
      )
    )
    if (config.retry === false) {
      return yield* attempt
    }
    const started = yield* Clock.currentTimeMillis
    const retried = Effect.retry(attempt, retrySchedule(config.retry, endpoint.method, started))
    const { goneAfterRetry } = endpoint
    if (goneAfterRetry === undefined) {
      return yield* retried
    }
    // a logout retried after a lost answer that now hears "unknown session" has succeeded
    return yield* Effect.catch(
      retried,
      (error) =>
        progress.attempts > 1 && isSessionGone(error) ? Effect.succeed(goneAfterRetry) : Effect.fail(error)
    )
  })

const decoder = /* @__PURE__ */ new TextDecoder()

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
): Effect.Effect<Received, HttpClientError.HttpClientError> => {
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

/** A body read as it streams in, chunk by chunk, up to one byte past `limit` (which tells it was longer). */
const readStreaming = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<Uint8Array, HttpClientError.HttpClientError> =>
  Effect.suspend(() => {
    const chunks: Array<Uint8Array> = [] // made per answer: the loop appends to it
    let bytes = 0
    return Stream.runForEachWhile(response.stream, (chunk) =>
      Effect.sync(() => {
        chunks.push(chunk)
        bytes += chunk.length
        return bytes <= limit
      })).pipe(
        // a body-less answer (a redirect, a 204) has no stream
        Effect.catchIf((error) => error.reason._tag === "EmptyBodyError", () => Effect.void),
        Effect.map(() => joined(chunks, Math.min(bytes, limit + 1)))
      )
  })

const annotateProgress = ({ attempts, httpStatus }: Progress): Effect.Effect<void> =>
  Effect.andThen(
    Effect.annotateCurrentSpan("tmdb.attempts", attempts),
    httpStatus === undefined ? Effect.void : Effect.annotateCurrentSpan("http.response.status_code", httpStatus)
  )

/** Records on the endpoint's span why the call failed. */
const annotateFailure = (error: CommonError | EndpointError | InvalidInput | BearerTokenRequired) =>
  Effect.andThen(
    Effect.annotateCurrentSpan("tmdb.error", error._tag),
    "status_code" in error && error.status_code !== undefined
      ? Effect.annotateCurrentSpan("tmdb.status_code", error.status_code)
      : Effect.void
  )
