/**
 * Reading an answer: a success body decoded by the endpoint's schema, or the tagged error the
 * answer stands for. Server text shown in an error is scrubbed of the call's secrets.
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { UnexpectedResponse } from "../TmdbError.js"
import type { CommonError, EndpointError } from "../TmdbError.js"
import { readErrorBody, toError } from "./errorBody.js"
import type { EndpointErrorClass } from "./errorBody.js"
import { excerpt, scrub } from "./secrets.js"

const describeParseError = (error: ParseResult.ParseError): string => {
  // Only paths and issue kinds: a message could quote the value, and the value may be a secret.
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const where = issues.slice(0, 3).map((issue) =>
    `${issue.path.length > 0 ? issue.path.join(".") : "body"} (${issue._tag === "Missing" ? "missing" : "wrong type"})`
  )
  return `the body does not have the documented shape: ${where.join(", ")}`
}

/** What an attempt received: an answer, read whole. */
export interface Received {
  readonly status: number
  readonly retryAfter: string | undefined
  readonly text: string
}

/**
 * The secrets an answer itself carries (a new session id or access token): a body that fails to
 * decode, even a truncated one, must not show them in its excerpt.
 */
const secretsIn = (text: string): Array<string> =>
  Array.from(text.matchAll(/"(?:session_id|guest_session_id|access_token)"\s*:\s*"([^"\\]+)/g), (m) => m[1]!)

const parseJson = (text: string): Option.Option<unknown> =>
  Either.getRight(Either.try(() => JSON.parse(text) as unknown))

/** An answer as the endpoint's value or error. */
export const interpret = <A, E extends EndpointError>(
  endpoint: {
    readonly label: string
    readonly success: Schema.Schema<A, unknown>
    readonly errors: ReadonlyArray<EndpointErrorClass>
    readonly _E?: E
  },
  answer: Received,
  secretsOfCall: ReadonlyArray<string>,
  now: number
): Either.Either<A, CommonError | E> => {
  const { status, text } = answer
  const unexpected = (reason: string) =>
    Either.left(
      new UnexpectedResponse({
        endpoint: endpoint.label,
        httpStatus: status,
        reason,
        excerpt: excerpt(text, [...secretsOfCall, ...secretsIn(text)])
      })
    )
  const decode = (json: unknown) =>
    Either.mapLeft(Schema.decodeUnknownEither(endpoint.success)(json), describeParseError).pipe(
      Either.orElse(unexpected)
    )
  const isEmpty = text.trim().length === 0
  const json = isEmpty ? Option.none() : parseJson(text)
  // A proxy or TMDB itself may echo the request into its message: scrub it like an excerpt.
  const errorBody = Option.map(Option.flatMap(json, readErrorBody), (found) => ({
    status_code: found.status_code,
    status_message: found.status_message === undefined ? undefined : scrub(found.status_message, secretsOfCall),
    errors: found.errors?.map((message) => scrub(message, secretsOfCall))
  }))
  const errorOf = () =>
    toError<E>(
      Option.getOrUndefined(errorBody),
      { httpStatus: status, retryAfterHeader: answer.retryAfter, now },
      endpoint.errors
    )

  if (status >= 200 && status < 300) {
    if (Option.isNone(json)) return unexpected(isEmpty ? "the body is empty" : "the body is not JSON")
    if ((json.value as { readonly success?: unknown } | null)?.success !== false) return decode(json.value)
    if (Option.isNone(errorBody)) return decode(json.value) // `success: false` and nothing else
    const error = errorOf()
    return error === undefined ? unexpected("success is false") : Either.left(error)
  }
  const error = errorOf()
  if (error !== undefined) return Either.left(error)
  return unexpected(
    isEmpty ? "the body is empty" : Option.isSome(json) ? "the body is not a TMDB error" : "the body is not JSON"
  )
}
