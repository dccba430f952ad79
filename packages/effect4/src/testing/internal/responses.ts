/**
 * The simulator's answers as `HttpServerResponse`s: TMDB's JSON bodies and error bodies, and the
 * broken answers faults put in their place.
 */
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import * as Stream from "effect/Stream"
import { statusCodes } from "../../TmdbError.js"

/** As TMDB sends it (recorded), with its space. */
const JSON_TYPE = "application/json; charset=utf-8"

/** A JSON answer. */
export const json = (
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {}
): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(JSON.stringify(body), { status, headers, contentType: JSON_TYPE })

/** The documented entry of a TMDB `status_code`; the simulator sends only documented ones. */
const documented = (code: number) => {
  const entry = statusCodes.get(code)
  if (entry === undefined) throw new Error(`TmdbSimulator: no documented TMDB status_code ${code}`)
  return entry
}

/** The documented `status_message` of a TMDB `status_code`. */
export const statusMessage = (code: number): string => documented(code).status_message

/**
 * The documented error body for a TMDB `status_code`, with its documented HTTP status (and any
 * extra fields TMDB was recorded sending with it). Keys in TMDB's order: `success` first, as
 * recorded from the authentication endpoints (codes 17, 30); code 7, from the API-key check in
 * front of every endpoint, as TMDB's OpenAPI example shows it, `success` last.
 */
export const tmdbError = (
  code: number,
  extra: Readonly<Record<string, unknown>> = {}
): HttpServerResponse.HttpServerResponse => {
  const entry = documented(code)
  const status = { status_code: code, status_message: entry.status_message }
  return json(
    entry.httpStatus,
    code === 7 ? { ...status, success: false, ...extra } : { success: false, ...extra, ...status }
  )
}

/**
 * The answer to a request body past the simulator's limit: HTTP 413 with TMDB's error body for
 * input that is not valid (code 47); TMDB documents no code of its own for a body too long.
 */
export const bodyTooLarge = (): HttpServerResponse.HttpServerResponse =>
  json(413, { success: false, status_code: 47, status_message: statusMessage(47) })

/** TMDB's answer to a required field left out. */
export const mustBeProvided = (field: string): HttpServerResponse.HttpServerResponse =>
  json(422, { errors: [`${field} must be provided`] })

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
export const htmlPage = (status: number): HttpServerResponse.HttpServerResponse => {
  const title = `${status} ${reasonPhrases[status] ?? "Error"}`
  return HttpServerResponse.text(
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n`,
    { status, contentType: "text/html" }
  )
}

/** A JSON content type with a truncated body. */
export const malformedJson = (status: number): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text("{\"success\": tr", { status, contentType: JSON_TYPE })

/**
 * The start of a JSON answer, announcing 64 more bytes than it holds; its body then fails as a
 * connection closed mid-body does (a server closes the connection there).
 */
export const truncated = (status: number): HttpServerResponse.HttpServerResponse => {
  const start = new TextEncoder().encode(
    "{\"success\":true,\"expires_at\":\"2016-08-26 17:04:39 UTC\",\"request_token\":\"ff5c7e"
  )
  return HttpServerResponse.stream(
    Stream.concat(Stream.succeed(start), Stream.fail(Object.assign(new Error("terminated"), { code: "ECONNRESET" }))),
    { status, contentType: JSON_TYPE, contentLength: start.length + 64 }
  )
}

/** TMDB's throttling answer, with `Retry-After` when given. */
export const rateLimited = (retryAfter: number | undefined): HttpServerResponse.HttpServerResponse => {
  const limited = tmdbError(25)
  return retryAfter === undefined ? limited : HttpServerResponse.setHeader(limited, "retry-after", `${retryAfter}`)
}

/**
 * An answer with the status, body and headers given: a JSON or text content type when there is
 * a body and the headers name none; no body for an empty one or a status that allows none.
 */
export const custom = (
  status: number,
  body: string,
  headers: Readonly<Record<string, string>> = {}
): HttpServerResponse.HttpServerResponse => {
  if (body === "" || status === 204 || status === 304) return HttpServerResponse.empty({ status, headers })
  const named = Object.keys(headers).some((name) => name.toLowerCase() === "content-type")
  return HttpServerResponse.text(body, {
    status,
    headers,
    ...(named ? {} : { contentType: parseJson(body) === undefined ? "text/plain;charset=utf-8" : JSON_TYPE })
  })
}

/** Parses JSON, or `undefined` when the text is empty or not JSON. */
export const parseJson = (text: string): unknown => {
  if (text === "") return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
