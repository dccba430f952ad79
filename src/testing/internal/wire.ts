/**
 * What the simulator's core reads from a request and what it hands back to the transport.
 */
import { statusCodes } from "../../TmdbError.js"

/** The part of a request known before its body is read. */
export interface Head {
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** Lowercase names. */
  readonly headers: Readonly<Record<string, string>>
  /** `"https://api.themoviedb.org"`, `"http://127.0.0.1:1234"`. */
  readonly origin: string
}

/** An HTTP answer. */
export interface Answer {
  readonly _tag: "Answer"
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** An answer whose body stops short of its `Content-Length`, then the connection closes. */
export interface Truncated {
  readonly _tag: "Truncated"
  readonly status: number
  /** `content-length` announces more bytes than `body` holds. */
  readonly headers: Readonly<Record<string, string>>
  /** The bytes sent before the connection closes. */
  readonly body: string
}

/** What the transport does with a request. */
export type Outcome =
  | Answer
  | Truncated
  /** Refuse the connection; the request was not processed. */
  | { readonly _tag: "Refuse" }
  /** Reset the connection without an answer. */
  | { readonly _tag: "Drop" }

const JSON_TYPE = "application/json;charset=utf-8"

/** An answer with any body. */
export const answer = (
  status: number,
  body: string,
  headers: Readonly<Record<string, string>>
): Answer => ({ _tag: "Answer", status, headers, body })

/** A JSON answer. */
export const json = (status: number, body: unknown, headers?: Readonly<Record<string, string>>): Answer =>
  answer(status, JSON.stringify(body), { "content-type": JSON_TYPE, ...headers })

/** The documented error body for a TMDB `status_code`, with its documented HTTP status. */
export const tmdbError = (code: number): Answer => {
  const entry = statusCodes.get(code)
  if (entry === undefined) throw new Error(`TmdbSimulator: no documented TMDB status_code ${code}`)
  return json(entry.httpStatus, {
    status_code: code,
    status_message: entry.status_message,
    success: false
  })
}

/** A validation failure: `422 {"errors":["<field> must be provided"]}`. */
export const mustBeProvided = (field: string): Answer => json(422, { errors: [`${field} must be provided`] })

const reasonPhrases: Readonly<Record<number, string>> = {
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

/** A CDN-style HTML error page. */
export const htmlPage = (status: number): Answer => {
  const title = `${status} ${reasonPhrases[status] ?? "Error"}`
  return answer(
    status,
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n`,
    { "content-type": "text/html" }
  )
}

/** A JSON content type with a truncated body. */
export const malformedJson = (status: number): Answer =>
  answer(status, "{\"success\": tr", { "content-type": JSON_TYPE })

/** The start of a JSON answer, announcing 64 more bytes than it holds. */
export const truncated = (status: number): Truncated => {
  const body = "{\"success\":true,\"expires_at\":\"2016-08-26 17:04:39 UTC\",\"request_token\":\"ff5c7e"
  return {
    _tag: "Truncated",
    status,
    headers: { "content-type": JSON_TYPE, "content-length": `${new TextEncoder().encode(body).length + 64}` },
    body
  }
}

/** TMDB's throttling answer: 429, code 25, with `Retry-After` when given. */
export const rateLimited = (retryAfter: number | undefined): Answer => {
  const limited = tmdbError(25)
  return retryAfter === undefined
    ? limited
    : { ...limited, headers: { ...limited.headers, "retry-after": `${retryAfter}` } }
}

/** An answer with the status and body given (JSON or text content type when there is a body). */
export const custom = (
  status: number,
  body: string,
  headers: Readonly<Record<string, string>> | undefined
): Answer => {
  const contentType = body === "" ? {} : { "content-type": isJson(body) ? JSON_TYPE : "text/plain;charset=utf-8" }
  return answer(status, body, { ...contentType, ...lowercaseKeys(headers ?? {}) })
}

/** Parses JSON, or `undefined` when the text is not JSON. */
export const parseJson = (text: string | undefined): unknown => {
  if (text === undefined) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const isJson = (text: string): boolean => parseJson(text) !== undefined

const lowercaseKeys = (record: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]))
