/**
 * One request to TMDB: build it from the credentials and config, send it with the user's
 * `HttpClient` (platform tracing off, since its span records the URL with the api_key), time it
 * out, retry it where that is safe, and turn the answer into a decoded value or a tagged error.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { constTrue } from "effect/Function"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Runtime from "effect/Runtime"
import type * as RuntimeFlags from "effect/RuntimeFlags"
import * as Schema from "effect/Schema"
import type * as Tracer from "effect/Tracer"
import { TmdbConfig } from "../TmdbConfig.js"
import type { RetryPolicy, Settings } from "../TmdbConfig.js"
import { TmdbCredentials } from "../TmdbCredentials.js"
import { BearerTokenRequired, TransportError, UnexpectedResponse } from "../TmdbError.js"
import type { InvalidInput } from "../TmdbError.js"
import type { CommonError, EndpointError } from "../TmdbError.js"
import { readErrorBody, toError } from "./errorBody.js"
import type { EndpointErrorTag, ErrorBody, ErrorOf } from "./errorBody.js"
import { excerpt, scrub } from "./secrets.js"
import { origin } from "./url.js"

/** The HTTP methods TMDB's auth API uses. */
export type Method = "GET" | "POST" | "DELETE"

/**
 * A TMDB endpoint: where it is, how its success body decodes, which specific errors it has, and
 * (`Local`) the error it fails with before any request when it refuses api_key credentials.
 */
export interface Endpoint<A, Tag extends EndpointErrorTag, Local = never> {
  readonly method: Method
  readonly path: string
  /** `"POST /3/authentication/session/new"`: used in errors and spans. */
  readonly label: string
  /** The name of the span each call runs in: `"tmdb.Authentication.createSession"`. */
  readonly span: string
  readonly decode: (input: unknown) => Either.Either<A, ParseResult.ParseError>
  readonly errors: ReadonlyArray<Tag>
  /** Set for Bearer-only endpoints (v4): the error api_key credentials get, without a request. */
  readonly refuseApiKey: ((label: string) => Local) | undefined
}

const lazyDecoder = <A, I>(schema: Schema.Schema<A, I>) => {
  let decode: ((input: unknown) => Either.Either<A, ParseResult.ParseError>) | undefined
  return (input: unknown): Either.Either<A, ParseResult.ParseError> =>
    (decode ??= Schema.decodeUnknownEither(schema, { onExcessProperty: "ignore" }))(input)
}

/**
 * Declares an endpoint; its decoder is compiled once, at its first answer (not at import).
 * `bearerOnly: true` (v4) makes api_key credentials fail with `BearerTokenRequired` before any
 * request, and adds it to the error type.
 */
export const endpoint = <
  A,
  I,
  const Tag extends EndpointErrorTag = never,
  const BearerOnly extends boolean = false
>(options: {
  readonly method: Method
  readonly path: string
  readonly span: string
  readonly success: Schema.Schema<A, I>
  readonly errors?: ReadonlyArray<Tag>
  readonly bearerOnly?: BearerOnly
}): Endpoint<A, Tag, BearerOnly extends true ? BearerTokenRequired : never> => ({
  method: options.method,
  path: options.path,
  label: `${options.method} ${options.path}`,
  span: options.span,
  decode: lazyDecoder(options.success),
  errors: options.errors ?? [],
  refuseApiKey: (options.bearerOnly === true
    ? (label: string) => new BearerTokenRequired({ endpoint: label })
    : undefined) as ((label: string) => BearerOnly extends true ? BearerTokenRequired : never) | undefined
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
  /** For its `Retry-After` header, read only for an error (converting the headers has a cost). */
  readonly response: HttpClientResponse.HttpClientResponse
  readonly text: string
}

/**
 * The secrets an answer itself carries (a new session id or access token): a body that fails to
 * decode, even a truncated one, must not show them in its excerpt.
 */
const secretsIn = (text: string): Array<string> =>
  Array.from(text.matchAll(/"(?:session_id|guest_session_id|access_token)"\s*:\s*"([^"\\]+)/g), (m) => m[1]!)

const parseJson = (text: string): { readonly json: unknown } | undefined => {
  try {
    return { json: JSON.parse(text) }
  } catch {
    return undefined
  }
}

/**
 * An answer as the endpoint's value or error. The common case (2xx, JSON, not `success: false`)
 * goes straight to the decoder; everything else to {@link interpretOther}.
 */
const interpret = <A, Tag extends EndpointErrorTag>(
  endpoint: Endpoint<A, Tag, unknown>,
  raw: Raw,
  secretsOfCall: () => ReadonlyArray<string>,
  now: number
): Effect.Effect<A, CallError<Tag>> => {
  const parsed = raw.text.length > 0 ? parseJson(raw.text) : undefined
  if (
    raw.status >= 200 && raw.status < 300 && parsed !== undefined &&
    (parsed.json as { readonly success?: unknown } | null)?.success !== false
  ) {
    const decoded = endpoint.decode(parsed.json)
    if (Either.isRight(decoded)) return Effect.succeed(decoded.right)
    return Effect.fail(unexpected(endpoint, raw, secretsOfCall, describeParseError(decoded.left)))
  }
  return interpretOther(endpoint, raw, parsed, secretsOfCall, now)
}

const unexpected = (
  endpoint: Endpoint<unknown, EndpointErrorTag, unknown>,
  raw: Raw,
  secretsOfCall: () => ReadonlyArray<string>,
  reason: string
) =>
  new UnexpectedResponse({
    endpoint: endpoint.label,
    httpStatus: raw.status,
    reason,
    excerpt: excerpt(raw.text, [...secretsOfCall(), ...secretsIn(raw.text)])
  })

/** Errors, and a 2xx that is not JSON or says `success: false`. */
const interpretOther = <A, Tag extends EndpointErrorTag>(
  endpoint: Endpoint<A, Tag, unknown>,
  raw: Raw,
  parsed: { readonly json: unknown } | undefined,
  secretsOfCall: () => ReadonlyArray<string>,
  now: number
): Effect.Effect<A, CallError<Tag>> => {
  const isEmpty = raw.text.trim().length === 0
  // A proxy or TMDB itself may echo the request into its message: scrub it like an excerpt.
  const errorBody = parsed === undefined ? undefined : Option.getOrUndefined(
    Option.map(readErrorBody(parsed.json), (found): ErrorBody => ({
      status_code: found.status_code,
      status_message: found.status_message === undefined ? undefined : scrub(found.status_message, secretsOfCall()),
      errors: found.errors?.map((message) => scrub(message, secretsOfCall()))
    }))
  )
  const answer = { httpStatus: raw.status, retryAfterHeader: raw.response.headers["retry-after"], now }
  const failUnexpected = (reason: string) => Effect.fail(unexpected(endpoint, raw, secretsOfCall, reason))
  if (raw.status >= 200 && raw.status < 300) {
    if (parsed === undefined) return failUnexpected(isEmpty ? "the body is empty" : "the body is not JSON")
    if (errorBody !== undefined) {
      const error = toError(errorBody, answer, endpoint.errors)
      return error === undefined ? failUnexpected("success is false") : Effect.fail(error)
    }
    // `success: false` and nothing else: the documented shape decides
    const decoded = endpoint.decode(parsed.json)
    return Either.isRight(decoded) ? Effect.succeed(decoded.right) : failUnexpected(describeParseError(decoded.left))
  }
  const error = toError(errorBody, answer, endpoint.errors)
  if (error !== undefined) return Effect.fail(error)
  return failUnexpected(
    isEmpty ? "the body is empty" : parsed !== undefined ? "the body is not a TMDB error" : "the body is not JSON"
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

const DEFAULT_BUDGET = Duration.seconds(30)

/**
 * How long to wait before retry number `retry` (0-based), or `None` to stop: a `Retry-After`
 * over `maxDelay`, or a wait that would end past the budget (`elapsed` is the time since the
 * first attempt started).
 */
const delayBefore = (
  error: CommonError | EndpointError,
  retry: number,
  policy: RetryPolicy,
  elapsed: Duration.Duration
): Effect.Effect<Option.Option<Duration.Duration>> =>
  Effect.map(Random.next, (random) => {
    const maxDelay = Duration.decode(policy.maxDelay)
    const wait = error._tag === "RateLimited"
      ? error.retryAfter
      : Duration.min(Duration.times(Duration.decode(policy.baseDelay), 2 ** retry * (0.5 + random)), maxDelay)
    const budget = policy.budget === undefined ? DEFAULT_BUDGET : Duration.decode(policy.budget)
    return Duration.greaterThan(wait, maxDelay) || Duration.greaterThan(Duration.sum(elapsed, wait), budget)
      ? Option.none()
      : Option.some(wait)
  })

/** The user's client with the platform's tracing off, made once per client rather than per call. */
const untracedClients = new WeakMap<HttpClient.HttpClient, HttpClient.HttpClient>()
const untraced = (client: HttpClient.HttpClient): HttpClient.HttpClient => {
  let untracedClient = untracedClients.get(client)
  if (untracedClient === undefined) {
    untracedClient = HttpClient.withTracerDisabledWhen(client, constTrue)
    untracedClients.set(client, untracedClient)
  }
  return untracedClient
}

/**
 * An `HttpClient` may carry, under this key, a way to send a request that enforces a timeout
 * itself (tmdb-effect/node's undici client does): a call over it needs no fiber for its timeout.
 * On timeout it fails with a `RequestError` whose cause is {@link timedOut}.
 */
export const TimedExecute: unique symbol = Symbol.for("tmdb-effect/HttpClient/TimedExecute")

/** The send function a client carries under {@link TimedExecute}. */
export type TimedExecute = (
  request: HttpClientRequest.HttpClientRequest,
  millis: number | undefined
) => Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>

/** The cause of the `RequestError` a {@link TimedExecute} fails with when its time is up. */
export const timedOut: unique symbol = Symbol.for("tmdb-effect/HttpClient/timedOut")

const timedExecuteOf = (client: HttpClient.HttpClient): TimedExecute | undefined => {
  const timed = (client as { readonly [TimedExecute]?: unknown })[TimedExecute]
  return typeof timed === "function" ? timed as TimedExecute : undefined
}

/** The runtime's own clock, found at the first call: under it, timeouts use a plain timer. */
let liveClock: Clock.Clock | undefined
const isLive = (clock: Clock.Clock): boolean => clock === (liveClock ??= Effect.runSync(Effect.clock))
const MAX_TIMER_MILLIS = 2 ** 31 - 1

/**
 * `Effect.timeoutFail` at a fraction of its cost, for the live clock: the request runs in a fiber
 * of its own started with the caller's context, fiber refs and runtime flags (not forked from the
 * caller, which costs several times more), and a timer callback (not a sleeping fiber) interrupts
 * it, which aborts the HTTP request. Interrupting the caller interrupts it too. The fiber only
 * ever succeeds, with the request's `Exit`: a fiber that fails is logged ("Fiber terminated with
 * an unhandled error", at Debug), and a platform error holds the request with its secrets.
 */
const timeoutFail = <A, E, E2>(
  caller: Fiber.RuntimeFiber<unknown, unknown>,
  runtimeFlags: RuntimeFlags.RuntimeFlags,
  self: Effect.Effect<A, E>,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<A, E | E2> =>
  Effect.async<A, E | E2>((resume) => {
    const fiber = Runtime.runFork(
      Runtime.make({ context: caller.currentContext, fiberRefs: caller.getFiberRefs(), runtimeFlags }),
      Effect.exit(self)
    )
    let settled = false
    const timer = setTimeout(() => {
      if (settled) return
      settled = true
      resume(Effect.zipRight(Fiber.interrupt(fiber), Effect.fail(onTimeout())))
    }, millis)
    fiber.addObserver((exit) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resume(Exit.flatten(exit))
    })
    return Effect.suspend(() => {
      settled = true
      clearTimeout(timer)
      return Fiber.interrupt(fiber)
    })
  })

/**
 * The request an endpoint sends with these credentials, before the call's own parameters: method,
 * URL, `Accept` and the credential. Built once per credentials, endpoint and base URL, and kept
 * only as long as the credentials themselves.
 */
const baseRequests = new WeakMap<
  Credentials,
  Map<Endpoint<unknown, EndpointErrorTag, unknown>, {
    readonly baseUrl: string
    readonly request: HttpClientRequest.HttpClientRequest
  }>
>()
type Credentials = Context.Tag.Service<typeof TmdbCredentials>
const baseRequest = (
  endpoint: Endpoint<unknown, EndpointErrorTag, unknown>,
  credentials: Credentials,
  baseUrl: string
): HttpClientRequest.HttpClientRequest => {
  let byEndpoint = baseRequests.get(credentials)
  if (byEndpoint === undefined) {
    byEndpoint = new Map()
    baseRequests.set(credentials, byEndpoint)
  }
  const cached = byEndpoint.get(endpoint)
  if (cached !== undefined && cached.baseUrl === baseUrl) return cached.request
  const request = HttpClientRequest.acceptJson(HttpClientRequest.make(endpoint.method)(origin(baseUrl) + endpoint.path))
  const withCredential = credentials._tag === "BearerToken"
    ? HttpClientRequest.bearerToken(request, credentials.token)
    : HttpClientRequest.setUrlParam(request, "api_key", Redacted.value(credentials.key))
  byEndpoint.set(endpoint, { baseUrl, request: withCredential })
  return withCredential
}

const spanOptions: Tracer.SpanOptions = { kind: "client", captureStackTrace: false }

/** The config's timeout, decoded once per config (the default, `"10 seconds"`, is a string to parse). */
const decodedTimeouts = new WeakMap<Settings, Duration.Duration>()
const timeoutOf = (config: Settings): Duration.Duration => {
  let timeout = decodedTimeouts.get(config)
  if (timeout === undefined) {
    timeout = Duration.decode(config.timeout)
    decodedTimeouts.set(config, timeout)
  }
  return timeout
}

/**
 * Sends one call to an endpoint with the current credentials, client and config, in a span named
 * after the endpoint's function. `input` reads and checks the call's parameters when it runs (not
 * when it is built), before the credentials are looked at and before any request. The hot path is
 * plain functions over the caller's fiber (no generator, no stack capture), at most one extra
 * fiber for the timeout (none over a client that times out by itself), and the span's attributes
 * set on it directly.
 */
export const call: {
  <A, Tag extends EndpointErrorTag, Local = never>(
    endpoint: Endpoint<A, Tag, Local>
  ): Effect.Effect<A, CallError<Tag> | Local, TmdbCredentials | HttpClient.HttpClient>
  <A, Tag extends EndpointErrorTag, Local = never>(
    endpoint: Endpoint<A, Tag, Local>,
    input: () => Either.Either<Call, InvalidInput>
  ): Effect.Effect<A, CallError<Tag> | Local | InvalidInput, TmdbCredentials | HttpClient.HttpClient>
} = <A, Tag extends EndpointErrorTag, Local = never>(
  endpoint: Endpoint<A, Tag, Local>,
  prepare?: () => Either.Either<Call, InvalidInput>
): Effect.Effect<A, CallError<Tag> | Local | InvalidInput, TmdbCredentials | HttpClient.HttpClient> =>
  Effect.useSpan(endpoint.span, spanOptions, (span) =>
    Effect.withFiberRuntime((fiber, status) => {
      span.attribute("tmdb.endpoint", endpoint.label)
      const context = fiber.currentContext as Context.Context<TmdbCredentials | HttpClient.HttpClient>
      // the input is read and checked when the call runs, before anything else
      let input: Call = {}
      if (prepare !== undefined) {
        const checked = prepare()
        if (Either.isLeft(checked)) return fail(span, 0, checked.left)
        input = checked.right
      }
      const credentials = Context.get(context, TmdbCredentials)
      if (credentials._tag === "ApiKey" && endpoint.refuseApiKey !== undefined) {
        return fail(span, 0, endpoint.refuseApiKey(endpoint.label))
      }
      const config = Context.get(context, TmdbConfig)
      const userClient = Context.get(context, HttpClient.HttpClient)
      const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
      const live = isLive(clock)

      let request = baseRequest(endpoint, credentials, config.baseUrl)
      if (input.query !== undefined) request = HttpClientRequest.setUrlParams(request, revealAll(input.query))
      if (input.body !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, revealAll(input.body))
      let secretList: Array<string> | undefined
      const secrets = (): Array<string> =>
        secretList ??= [
          ...secretsOf(input.query),
          ...secretsOf(input.body),
          Redacted.value(credentials._tag === "BearerToken" ? credentials.token : credentials.key)
        ]

      const timeout = timeoutOf(config)
      const millis = Duration.toMillis(timeout)
      const timeoutError = () =>
        new TransportError({
          reason: "Timeout",
          endpoint: endpoint.label,
          detail: `no answer within ${Duration.format(timeout)}`
        })
      const toRaw = (response: HttpClientResponse.HttpClientResponse) =>
        Effect.map(response.text, (text): Raw => ({
          status: response.status,
          response,
          text
        }))
      const timed = timedExecuteOf(userClient)
      const client = untraced(userClient)
      // Under TestClock the timeout is Effect's own, so that tests can drive it.
      const send: Effect.Effect<Raw, HttpClientError.HttpClientError | TransportError> =
        !live || !(millis <= MAX_TIMER_MILLIS)
          ? Effect.timeoutFail(Effect.flatMap(client.execute(request), toRaw), {
            duration: timeout,
            onTimeout: timeoutError
          })
          : timed !== undefined
          ? Effect.flatMap(timed(request, millis), toRaw)
          : timeoutFail(
            fiber,
            status.runtimeFlags,
            Effect.flatMap(client.execute(request), toRaw),
            millis,
            timeoutError
          )
      /** The HTTP status of the last answer, for the span. */
      let httpStatus: number | undefined
      const once = Effect.flatMap(
        Effect.mapError(send, (error) => {
          httpStatus = undefined
          return error._tag === "TransportError"
            ? error
            : error._tag === "RequestError" && error.cause === timedOut
            ? timeoutError()
            : toTransportError(endpoint.label, error, secrets())
        }),
        (raw) => {
          httpStatus = raw.status
          return interpret(endpoint, raw, secrets, clock.unsafeCurrentTimeMillis())
        }
      )

      const policy = config.retry
      const started = clock.unsafeCurrentTimeMillis()
      const attempt = (n: number): Effect.Effect<A, CallError<Tag>> =>
        Effect.matchEffect(once, {
          onSuccess: (value) => {
            span.attribute("http.response.status_code", httpStatus)
            span.attribute("tmdb.attempts", n)
            return Effect.succeed(value)
          },
          onFailure: (error) => {
            const wait = policy !== false && n <= policy.times && isRetryable(error, endpoint.method)
              ? delayBefore(error, n - 1, policy, Duration.millis(clock.unsafeCurrentTimeMillis() - started))
              : Effect.succeedNone
            return Effect.flatMap(wait, (delay) =>
              Option.isSome(delay)
                ? Effect.zipRight(Effect.sleep(delay.value), attempt(n + 1))
                : fail(span, n, error, httpStatus))
          }
        })
      return attempt(1)
    }))

/** Fails the call, recording on its span why. */
const fail = <E>(
  span: Tracer.Span,
  attempts: number,
  error: E,
  httpStatus?: number
): Effect.Effect<never, E> => {
  if (httpStatus !== undefined) span.attribute("http.response.status_code", httpStatus)
  span.attribute("tmdb.attempts", attempts)
  span.attribute("tmdb.error", (error as { readonly _tag?: unknown })._tag)
  const statusCode = (error as { readonly status_code?: unknown }).status_code
  if (statusCode !== undefined) span.attribute("tmdb.status_code", statusCode)
  return Effect.fail(error)
}
