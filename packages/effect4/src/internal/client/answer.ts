/**
 * Reading an answer: a success body decoded by the endpoint's schema, or the tagged error the
 * answer stands for. Server text shown in an error is withheld whole when it quotes a secret.
 */
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { statusCodes, TmdbApiError, UnexpectedResponse } from "../../TmdbError.js"
import type { CommonError, EndpointError } from "../../TmdbError.js"
import { excerpt, quotesSecret, WITHHELD } from "../redact/withhold.js"
import { leavesOf, pathName } from "../util/issues.js"
import type { Endpoint } from "./endpoint.js"
import { readErrorBody, toError } from "./errorBody.js"

const describeIssue = (error: Schema.SchemaError): string => {
  const where = leavesOf(error.issue).slice(0, 3).map(({ leaf, path }) =>
    `${path.length > 0 ? pathName(path) : "body"} (${leaf._tag === "MissingKey" ? "missing" : "wrong type"})`
  )
  return `the body does not have the documented shape: ${where.join(", ")}`
}

/** What an attempt received: an answer, read whole or up to the limit. */
export interface Received {
  readonly status: number
  readonly retryAfter: string | undefined
  readonly text: string
  /** Set when the body was longer than this many bytes: `text` is its start, and the read was aborted. */
  readonly overLimit?: number | undefined
}

/** The most server text an error repeats: a message, each of the first few `errors`. */
const MAX_MESSAGE = 300
const MAX_ERRORS = 10

/**
 * The secrets an answer itself carries (a new session id or access token): a body that fails to
 * decode, even a truncated one, must not show them in its excerpt.
 */
const secretsIn = (text: string): Array<string> =>
  Array.from(text.matchAll(/"(?:session_id|guest_session_id|access_token)"\s*:\s*"([^"\\]+)/g), (m) => m[1]!)

const parseJson = (text: string): Option.Option<unknown> =>
  Result.getSuccess(Result.try((): unknown => JSON.parse(text)))

/** Whether parsed JSON says `success: false`. */
const saysFailure = (json: unknown): boolean =>
  typeof json === "object" && json !== null && "success" in json && json.success === false

/** An answer as the endpoint's value or error. */
export const interpret = <A, E extends EndpointError>(
  endpoint: Pick<Endpoint<A, E>, "label" | "success" | "errors">,
  answer: Received,
  secretsOfCall: ReadonlyArray<string>,
  now: number
): Result.Result<A, CommonError | E> => {
  const { status, text } = answer
  const secrets = [...secretsOfCall, ...secretsIn(text)]
  const isEmpty = text.trim().length === 0
  const json = isEmpty || answer.overLimit !== undefined ? Option.none() : parseJson(text)
  const found = Option.getOrUndefined(Option.flatMap(json, readErrorBody))
  const status_message = found?.status_message === undefined ? undefined : excerpt(found.status_message, MAX_MESSAGE)
  const errors = found?.errors?.slice(0, MAX_ERRORS).map((message) => excerpt(message, MAX_MESSAGE))
  // All the server text an error could show, read together (a secret split between two messages
  // is still quoted); only when an error is made.
  let quoted: boolean | undefined
  const withheld = () =>
    quoted ??= quotesSecret([status_message ?? "", ...(errors ?? []), excerpt(text)].join(""), secrets)
  const unexpected = (reason: string): Result.Result<never, UnexpectedResponse> =>
    Result.fail(
      new UnexpectedResponse({
        endpoint: endpoint.label,
        httpStatus: status,
        reason,
        excerpt: withheld() ? WITHHELD : excerpt(text)
      })
    )
  const decode = (body: unknown): Result.Result<A, UnexpectedResponse> =>
    Result.match(Schema.decodeUnknownResult(endpoint.success)(body), {
      onFailure: (error) => unexpected(describeIssue(error)),
      onSuccess: Result.succeed
    })
  if (answer.overLimit !== undefined) {
    return unexpected(`the body is longer than ${answer.overLimit} bytes (maxResponseBytes); it was not read further`)
  }
  if (status < 200 || (status >= 300 && status < 400)) {
    // 0 is a browser's `opaqueredirect` under `redirect: "manual"`
    return unexpected(`HTTP ${status} is a redirect or not a final answer; redirects are never followed`)
  }
  // For a known code, TMDB's documented message stands in for a withheld one.
  const errorBody = () =>
    found === undefined ? undefined : {
      status_code: found.status_code,
      status_message: withheld() && status_message !== undefined
        ? statusCodes.get(found.status_code ?? -1)?.status_message ?? WITHHELD
        : status_message,
      errors: withheld() && errors !== undefined && errors.length > 0 ? [WITHHELD] : errors
    }
  const errorOf = () =>
    toError<E>(errorBody(), { httpStatus: status, retryAfterHeader: answer.retryAfter, now }, endpoint.errors)

  if (status >= 200 && status < 300) {
    if (Option.isNone(json)) return unexpected(isEmpty ? "the body is empty" : "the body is not JSON")
    if (!saysFailure(json.value)) return decode(json.value)
    // `success: false` is a failure whatever the HTTP status: its code's error, else TmdbApiError
    return Result.fail(
      errorOf() ?? new TmdbApiError({ status_message: "TMDB answered success: false", httpStatus: status, errors: [] })
    )
  }
  const error = errorOf()
  if (error !== undefined) return Result.fail(error)
  return unexpected(
    isEmpty ? "the body is empty" : Option.isSome(json) ? "the body is not a TMDB error" : "the body is not JSON"
  )
}
