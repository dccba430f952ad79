/**
 * One request to TMDB: build it from the credentials and config, send it with the user's
 * `HttpClient` (platform tracing off, since its span records the URL with the api_key), time it
 * out, retry it where that is safe, and turn the answer into a decoded value or a tagged error.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { TmdbConfig } from "../TmdbConfig.js"
import type { RetryPolicy } from "../TmdbConfig.js"
import { TmdbCredentials } from "../TmdbCredentials.js"
import { TransportError, UnexpectedResponse } from "../TmdbError.js"
import type { CommonError, EndpointError } from "../TmdbError.js"
import { readErrorBody, toError } from "./errorBody.js"
import type { EndpointErrorTag, ErrorOf } from "./errorBody.js"
import { excerpt, scrub } from "./secrets.js"

/** The HTTP methods TMDB's auth API uses. */
export type Method = "GET" | "POST" | "DELETE"

/** A TMDB endpoint: where it is, how its success body decodes, which specific errors it has. */
export interface Endpoint<A, Tag extends EndpointErrorTag> {
  readonly method: Method
  readonly path: string
  /** `"POST /3/authentication/session/new"`: used in errors and spans. */
  readonly label: string
  readonly decode: (input: unknown) => Effect.Effect<A, ParseResult.ParseError>
  readonly errors: ReadonlyArray<Tag>
}

/** Declares an endpoint; its decoder is compiled once, here. */
export const endpoint = <A, I, const Tag extends EndpointErrorTag = never>(options: {
  readonly method: Method
  readonly path: string
  readonly success: Schema.Schema<A, I>
  readonly errors?: ReadonlyArray<Tag>
}): Endpoint<A, Tag> => ({
  method: options.method,
  path: options.path,
  label: `${options.method} ${options.path}`,
  decode: Schema.decodeUnknown(options.success, { onExcessProperty: "ignore" }),
  errors: options.errors ?? []
})

/** Values sent with a request; `Redacted` ones are secrets and are scrubbed from errors. */
export type Params = Readonly<Record<string, string | Redacted.Redacted<string>>>

/** What one call sends besides the credentials. */
export interface Call {
  readonly query?: Params
  readonly body?: Params
}

/** The error type of a call to an endpoint. */
export type CallError<Tag extends EndpointErrorTag> = CommonError | ErrorOf<Tag>

const reveal = (value: string | Redacted.Redacted<string>): string =>
  typeof value === "string" ? value : Redacted.value(value)

const revealAll = (params: Params): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const key in params) out[key] = reveal(params[key]!)
  return out
}

const secretsOf = (params: Params | undefined): Array<string> =>
  params === undefined
    ? []
    : Object.values(params).flatMap((value) => Redacted.isRedacted(value) ? [Redacted.value(value)] : [])

const causeChain = (error: unknown): Array<{ readonly code?: unknown; readonly message?: unknown }> => {
  const chain: Array<{ readonly code?: unknown; readonly message?: unknown }> = []
  let current: unknown = error
  while (typeof current === "object" && current !== null && chain.length < 8) {
    chain.push(current)
    current = (current as { readonly cause?: unknown }).cause
  }
  return chain
}

const reasonOf = (codes: ReadonlyArray<unknown>): TransportError["reason"] => {
  if (codes.includes("ECONNREFUSED")) return "ConnectionRefused"
  if (codes.some((code) => code === "ENOTFOUND" || code === "EAI_AGAIN")) return "NameResolution"
  if (codes.some((code) => code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT")) return "Timeout"
  if (
    codes.some((code) =>
      code === "ECONNRESET" || code === "EPIPE" || code === "UND_ERR_SOCKET" || code === "ECONNABORTED"
    )
  ) return "ConnectionReset"
  return "Other"
}

/** A platform error carries the request (URL with api_key, body with password): keep only what's safe. */
const toTransportError = (
  label: string,
  error: HttpClientError.HttpClientError,
  secrets: ReadonlyArray<string>
): TransportError => {
  const chain = causeChain(error.cause)
  const messages = chain.map((link) => typeof link.message === "string" ? link.message : "").filter((m) => m !== "")
  const reason = error._tag === "ResponseError" && reasonOf(chain.map((link) => link.code)) === "Other"
    ? "ConnectionReset"
    : reasonOf(chain.map((link) => link.code))
  const detail = messages.length > 0 ? messages.join(": ") : `${error._tag} (${error.reason})`
  return new TransportError({ reason, endpoint: label, detail: scrub(detail, secrets).slice(0, 300) })
}

const describeParseError = (error: ParseResult.ParseError): string => {
  // Only paths and issue kinds: a message could quote the value, and the value may be a secret.
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const where = issues.slice(0, 3).map((issue) =>
    `${issue.path.length > 0 ? issue.path.join(".") : "body"} (${issue._tag === "Missing" ? "missing" : "wrong type"})`
  )
  return `the body does not have the documented shape: ${where.join(", ")}`
}

interface Raw {
  readonly status: number
  readonly retryAfter: string | undefined
  readonly text: string
}

const interpret = <A, Tag extends EndpointErrorTag>(
  endpoint: Endpoint<A, Tag>,
  raw: Raw,
  secrets: ReadonlyArray<string>,
  now: number
): Effect.Effect<A, CallError<Tag>> => {
  const unexpected = (reason: string) =>
    new UnexpectedResponse({
      endpoint: endpoint.label,
      httpStatus: raw.status,
      reason,
      excerpt: excerpt(raw.text, secrets)
    })
  let json: unknown = undefined
  let isJson = false
  if (raw.text.trim().length > 0) {
    try {
      json = JSON.parse(raw.text)
      isJson = true
    } catch {
      // not JSON: handled below
    }
  }
  const body = isJson ? Option.getOrUndefined(readErrorBody(json)) : undefined
  const answer = { httpStatus: raw.status, retryAfterHeader: raw.retryAfter, now }
  if (raw.status >= 200 && raw.status < 300) {
    if (!isJson) {
      return Effect.fail(unexpected(raw.text.trim().length === 0 ? "the body is empty" : "the body is not JSON"))
    }
    if (body !== undefined && (json as { readonly success?: unknown }).success === false) {
      return Effect.fail(toError(body, answer, endpoint.errors) ?? unexpected("success is false"))
    }
    return Effect.mapError(endpoint.decode(json), (error) => unexpected(describeParseError(error)))
  }
  const error = toError(body, answer, endpoint.errors)
  if (error !== undefined) return Effect.fail(error)
  return Effect.fail(
    unexpected(
      raw.text.trim().length === 0
        ? "the body is empty"
        : isJson
        ? "the body is not a TMDB error"
        : "the body is not JSON"
    )
  )
}

const isRetryable = (error: CommonError | EndpointError, method: Method): boolean => {
  switch (error._tag) {
    case "RateLimited":
      return true
    case "TransportError":
      return method !== "POST" || error.reason === "ConnectionRefused"
    case "TmdbUnavailable":
      return method !== "POST" && (error.httpStatus === 502 || error.httpStatus === 503 || error.httpStatus === 504)
    default:
      return false
  }
}

/** How long to wait before retry number `retry` (0-based), or `None` to stop. */
const delayBefore = (
  error: CommonError | EndpointError,
  retry: number,
  policy: RetryPolicy
): Effect.Effect<Option.Option<Duration.Duration>> =>
  Effect.map(Random.next, (random) => {
    const maxDelay = Duration.decode(policy.maxDelay)
    if (error._tag === "RateLimited") {
      return Duration.greaterThan(error.retryAfter, maxDelay) ? Option.none() : Option.some(error.retryAfter)
    }
    const backoff = Duration.times(Duration.decode(policy.baseDelay), 2 ** retry * (0.5 + random))
    return Option.some(Duration.min(backoff, maxDelay))
  })

/** Sends one call to an endpoint with the current credentials, client and config. */
export const call = <A, Tag extends EndpointErrorTag>(
  endpoint: Endpoint<A, Tag>,
  input: Call = {}
): Effect.Effect<A, CallError<Tag>, TmdbCredentials | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const config = yield* TmdbConfig
    const credentials = yield* TmdbCredentials
    const client = (yield* HttpClient.HttpClient).pipe(HttpClient.withTracerDisabledWhen(() => true))

    let request = HttpClientRequest.make(endpoint.method)(config.baseUrl + endpoint.path).pipe(
      HttpClientRequest.acceptJson
    )
    const secrets = [...secretsOf(input.query), ...secretsOf(input.body)]
    if (credentials._tag === "BearerToken") {
      request = HttpClientRequest.bearerToken(request, credentials.token)
      secrets.push(Redacted.value(credentials.token))
    } else {
      request = HttpClientRequest.setUrlParam(request, "api_key", Redacted.value(credentials.key))
      secrets.push(Redacted.value(credentials.key))
    }
    if (input.query !== undefined) request = HttpClientRequest.setUrlParams(request, revealAll(input.query))
    if (input.body !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, revealAll(input.body))

    const timeout = Duration.decode(config.timeout)
    const once = client.execute(request).pipe(
      Effect.flatMap((response) =>
        Effect.map(response.text, (text): Raw => ({
          status: response.status,
          retryAfter: response.headers["retry-after"],
          text
        }))
      ),
      Effect.mapError((error) => toTransportError(endpoint.label, error, secrets)),
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () =>
          new TransportError({
            reason: "Timeout",
            endpoint: endpoint.label,
            detail: `no answer within ${Duration.format(timeout)}`
          })
      }),
      Effect.tap((raw) => Effect.annotateCurrentSpan("http.response.status_code", raw.status)),
      Effect.flatMap((raw) => Effect.flatMap(Clock.currentTimeMillis, (now) => interpret(endpoint, raw, secrets, now)))
    )

    yield* Effect.annotateCurrentSpan("tmdb.endpoint", endpoint.label)
    const policy = config.retry
    let attempt = 1
    while (true) {
      const result = yield* Effect.either(once)
      if (result._tag === "Right") {
        yield* Effect.annotateCurrentSpan("tmdb.attempts", attempt)
        return result.right
      }
      const error = result.left
      const wait = policy !== false && attempt <= policy.times && isRetryable(error, endpoint.method)
        ? yield* delayBefore(error, attempt - 1, policy)
        : Option.none()
      if (Option.isNone(wait)) {
        yield* Effect.annotateCurrentSpan({
          "tmdb.attempts": attempt,
          "tmdb.error": error._tag,
          ...("status_code" in error && error.status_code !== undefined
            ? { "tmdb.status_code": error.status_code }
            : {})
        })
        return yield* Effect.fail(error)
      }
      yield* Effect.sleep(wait.value)
      attempt++
    }
  })
