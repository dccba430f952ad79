/**
 * Turning a TMDB answer that is not a success into the tagged error it stands for.
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import {
  AccountDisabled,
  AuthenticationFailed,
  EmailNotVerified,
  InvalidApiKey,
  InvalidLogin,
  InvalidRequestToken,
  RateLimited,
  ResourceNotFound,
  SessionDenied,
  TmdbApiError,
  TmdbUnavailable
} from "../TmdbError.js"
import type { CommonError, EndpointError } from "../TmdbError.js"

/** The tags an endpoint may opt into, with their classes. */
export const endpointErrors = {
  InvalidLogin,
  AccountDisabled,
  EmailNotVerified,
  InvalidRequestToken,
  SessionDenied,
  ResourceNotFound
} as const

/** The tag an endpoint may declare on top of the common ones. */
export type EndpointErrorTag = EndpointError["_tag"]

/** The error class of each tag. */
export type ErrorOf<Tag extends EndpointErrorTag> = Extract<EndpointError, { readonly _tag: Tag }>

const commonByCode: ReadonlyMap<number, typeof InvalidApiKey | typeof AuthenticationFailed | typeof TmdbUnavailable> =
  new Map<number, typeof InvalidApiKey | typeof AuthenticationFailed | typeof TmdbUnavailable>([
    [7, InvalidApiKey],
    [10, InvalidApiKey],
    [3, AuthenticationFailed],
    [14, AuthenticationFailed],
    [35, AuthenticationFailed],
    [36, AuthenticationFailed],
    [9, TmdbUnavailable],
    [11, TmdbUnavailable],
    [15, TmdbUnavailable],
    [24, TmdbUnavailable],
    [43, TmdbUnavailable],
    [46, TmdbUnavailable]
  ])

const endpointTagByCode: ReadonlyMap<number, EndpointErrorTag> = new Map([
  [26, "InvalidLogin"],
  [30, "InvalidLogin"],
  [31, "AccountDisabled"],
  [45, "AccountDisabled"],
  [32, "EmailNotVerified"],
  [33, "InvalidRequestToken"],
  [17, "SessionDenied"],
  [41, "SessionDenied"],
  [6, "ResourceNotFound"],
  [34, "ResourceNotFound"],
  [37, "ResourceNotFound"]
])

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

export interface Answer {
  readonly httpStatus: number
  readonly retryAfterHeader: string | undefined
  readonly now: number
}

/**
 * The error a TMDB body (or, without one, the HTTP status) stands for. A tag the endpoint did
 * not declare becomes `TmdbApiError`, so the endpoint's error type stays honest.
 */
export const toError = <Tag extends EndpointErrorTag>(
  body: ErrorBody | undefined,
  answer: Answer,
  allowed: ReadonlyArray<Tag>
): CommonError | ErrorOf<Tag> | undefined => {
  const { httpStatus } = answer
  const status_code = body?.status_code
  const status_message = body?.status_message ??
    (body?.errors !== undefined && body.errors.length > 0 ? body.errors.join("; ") : `HTTP ${httpStatus}`)
  if (status_code === 25 || httpStatus === 429) {
    return new RateLimited({
      status_code,
      status_message,
      httpStatus,
      retryAfter: retryAfter(answer.retryAfterHeader, answer.now)
    })
  }
  if (status_code !== undefined) {
    const fields = { status_code, status_message, httpStatus }
    const common = commonByCode.get(status_code)
    if (common !== undefined) return new common(fields)
    const tag = endpointTagByCode.get(status_code)
    if (tag !== undefined && (allowed as ReadonlyArray<EndpointErrorTag>).includes(tag)) {
      return new endpointErrors[tag](fields) as ErrorOf<Tag>
    }
  }
  if (body === undefined) {
    return httpStatus >= 500 ? new TmdbUnavailable({ status_message, httpStatus }) : undefined
  }
  if (httpStatus >= 500 && status_code === undefined) return new TmdbUnavailable({ status_message, httpStatus })
  return new TmdbApiError({ status_code, status_message, httpStatus, errors: body.errors ?? [] })
}
