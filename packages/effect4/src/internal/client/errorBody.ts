/**
 * Turning a TMDB answer that is not a success into the tagged error it stands for, as the
 * status-code table in `TmdbError` says.
 */
import * as Duration from "effect/Duration"
import type * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import {
  commonErrors,
  RateLimited,
  statusCodeErrors,
  statusCodes,
  TmdbApiError,
  TmdbUnavailable
} from "../../TmdbError.js"
import type { CommonError, EndpointError } from "../../TmdbError.js"
import type { EndpointErrorClass } from "./endpoint.js"

/** What the error of a status code is made of. */
interface StatusCodeFields {
  readonly status_code: number
  readonly status_message: string
  readonly httpStatus: number
}

/** Whether an error class is one every endpoint can fail with (one of `TmdbError.commonErrors`). */
const isCommonClass = <C>(errorClass: C): errorClass is Extract<C, (typeof commonErrors)[number]> =>
  commonErrors.some((common) => common === errorClass)

/** A field read when it has its documented type, and as absent otherwise (TMDB's bodies are loose). */
const loose = <S extends Schema.Codec<unknown>>(schema: S) => {
  const decode = Schema.decodeUnknownResult(Schema.toType(schema))
  return Schema.Unknown.pipe(
    Schema.decodeTo(Schema.UndefinedOr(Schema.toType(schema)), {
      decode: SchemaGetter.transform((value: unknown) => Result.getOrUndefined(decode(value))),
      encode: SchemaGetter.transform((value: S["Type"] | undefined) => value)
    })
  )
}

/**
 * A TMDB error body in any of its three shapes: `{ status_code, status_message }` (sometimes with
 * `failure: true`) or `{ errors: ["…"] }`.
 */
const ErrorBody = /* @__PURE__ */ Schema.Struct({
  status_code: /* @__PURE__ */ Schema.optional(loose(Schema.Number)),
  status_message: /* @__PURE__ */ Schema.optional(loose(Schema.String)),
  errors: /* @__PURE__ */ Schema.optional(loose(Schema.Array(Schema.String)))
}).pipe(Schema.check(Schema.makeFilter((body) => body.status_code !== undefined || body.errors !== undefined)))

/** A TMDB error body, decoded. */
export type ErrorBody = typeof ErrorBody.Type

const decodeErrorBody = /* @__PURE__ */ Schema.decodeUnknownResult(ErrorBody)

/** Reads a TMDB error body out of parsed JSON, if it is one. */
export const readErrorBody = (json: unknown): Option.Option<ErrorBody> => Result.getSuccess(decodeErrorBody(json))

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
  if (status_code !== undefined && tag !== undefined && tag !== "TmdbApiError") {
    const fields: StatusCodeFields = { status_code, status_message, httpStatus }
    const errorClass = statusCodeErrors[tag]
    if (isCommonClass(errorClass)) return new errorClass(fields)
    const listed = allowed.find((allowedClass) => allowedClass === errorClass)
    // the endpoint's declaration types its listed classes as E
    if (listed !== undefined) return new listed(fields) as E
  }
  if (body === undefined) {
    return httpStatus >= 500 ? new TmdbUnavailable({ status_message, httpStatus }) : undefined
  }
  if (httpStatus >= 500 && status_code === undefined) return new TmdbUnavailable({ status_message, httpStatus })
  return new TmdbApiError({ status_code, status_message, httpStatus, errors: body.errors ?? [] })
}
