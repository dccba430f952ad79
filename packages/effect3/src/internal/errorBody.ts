/**
 * Turning a TMDB answer that is not a success into the tagged error it stands for, as the
 * status-code table in `TmdbError` says.
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import {
  AuthenticationFailed,
  InvalidApiKey,
  RateLimited,
  statusCodes,
  TmdbApiError,
  TmdbUnavailable
} from "../TmdbError.js"
import type { CommonError, EndpointError } from "../TmdbError.js"

/** What a status code's error is made of. */
interface Fields {
  readonly status_code: number
  readonly status_message: string
  readonly httpStatus: number
}

/** The class of an error an endpoint may list on top of the ones every endpoint can fail with. */
export interface EndpointErrorClass {
  readonly _tag: EndpointError["_tag"]
  new(fields: Fields): EndpointError
}

/** The classes of the tags every endpoint can fail with (`RateLimited` and `TmdbApiError` carry more). */
const common = { InvalidApiKey, AuthenticationFailed, TmdbUnavailable } as const

const isCommon = (tag: string): tag is keyof typeof common => Object.hasOwn(common, tag)

/** A TMDB error body in any of its three shapes, already known to be an object. */
export interface ErrorBody {
  readonly status_code?: number | undefined
  readonly status_message?: string | undefined
  readonly errors?: ReadonlyArray<string> | undefined
}

/** Reads a TMDB error body out of parsed JSON: `{ status_code, status_message }` or `{ errors }`. */
export const readErrorBody = (json: unknown): Option.Option<ErrorBody> => {
  if (typeof json !== "object" || json === null) return Option.none()
  const body = json as Record<string, unknown>
  const status_code = typeof body.status_code === "number" ? body.status_code : undefined
  const status_message = typeof body.status_message === "string" ? body.status_message : undefined
  const errors = Array.isArray(body.errors) && body.errors.every((e) => typeof e === "string")
    ? body.errors as ReadonlyArray<string>
    : undefined
  return status_code !== undefined || errors !== undefined
    ? Option.some({ status_code, status_message, errors })
    : Option.none()
}

/** `Retry-After` as seconds or an HTTP date; absent, zero or past means one second. */
export const retryAfter = (header: string | undefined, now: number): Duration.Duration => {
  const min = Duration.seconds(1)
  if (header === undefined) return min
  const trimmed = header.trim()
  const millis = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now
  return Number.isFinite(millis) ? Duration.max(Duration.millis(millis), min) : min
}

/** What an error is read from besides its body: the answer's status and `Retry-After`, and the time. */
export interface ErrorContext {
  readonly httpStatus: number
  readonly retryAfterHeader: string | undefined
  readonly now: number
}

/**
 * The error a TMDB body (or, without one, the HTTP status) stands for. A tag the endpoint does
 * not list becomes `TmdbApiError`, so the endpoint's error type stays honest.
 */
export const toError = <E extends EndpointError>(
  body: ErrorBody | undefined,
  context: ErrorContext,
  allowed: ReadonlyArray<EndpointErrorClass>
): CommonError | E | undefined => {
  const { httpStatus } = context
  const status_code = body?.status_code
  const status_message = body?.status_message ??
    (body?.errors !== undefined && body.errors.length > 0 ? body.errors.join("; ") : `HTTP ${httpStatus}`)
  const tag = status_code === undefined ? undefined : statusCodes.get(status_code)?.tag
  if (tag === "RateLimited" || httpStatus === 429) {
    return new RateLimited({
      status_code,
      status_message,
      httpStatus,
      retryAfter: retryAfter(context.retryAfterHeader, context.now)
    })
  }
  if (status_code !== undefined && tag !== undefined) {
    const fields: Fields = { status_code, status_message, httpStatus }
    if (isCommon(tag)) return new common[tag](fields)
    const listed = allowed.find((errorClass) => errorClass._tag === tag)
    if (listed !== undefined) return new listed(fields) as E
  }
  if (body === undefined) {
    return httpStatus >= 500 ? new TmdbUnavailable({ status_message, httpStatus }) : undefined
  }
  if (httpStatus >= 500 && status_code === undefined) return new TmdbUnavailable({ status_message, httpStatus })
  return new TmdbApiError({ status_code, status_message, httpStatus, errors: body.errors ?? [] })
}
