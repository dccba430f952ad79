/**
 * A platform HTTP error as a `TransportError`: the platform's errors carry the request (the URL
 * with the api_key, the body with the password), so only a reason and a description are kept,
 * withheld whole if it quotes a secret.
 */
import type * as HttpClientError from "effect/http/HttpClientError"
import { TransportError } from "../../TmdbError.js"
import { excerpt, withhold } from "../redact/withhold.js"

/** One link of an error's `cause` chain, as far as it can be read. */
interface Link {
  readonly code?: unknown
  readonly message?: unknown
  readonly cause?: unknown
}

/** The `cause` chain of a platform error, outermost first (bounded: a cause may point at itself). */
const causeChain = (error: unknown): Array<Link> => {
  const chain: Array<Link> = []
  for (let current: unknown = error; typeof current === "object" && current !== null && chain.length < 8;) {
    const link: Link = current
    chain.push(link)
    current = link.cause
  }
  return chain
}

/** The `TransportError` reason the error codes of a cause chain (`ECONNREFUSED`, …) stand for. */
const transportReasonOf = (codes: ReadonlyArray<unknown>): TransportError["reason"] => {
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

const isResponseError = (reason: HttpClientError.HttpClientErrorReason): boolean =>
  reason._tag === "StatusCodeError" || reason._tag === "DecodeError" || reason._tag === "EmptyBodyError"

/** A platform error carries the request (URL with api_key, body with password): keep only what's safe. */
export const fromHttpClientError = (
  label: string,
  error: HttpClientError.HttpClientError,
  secrets: ReadonlyArray<string>
): TransportError => {
  const chain = causeChain(error.reason.cause)
  const messages = chain.map((link) => typeof link.message === "string" ? link.message : "").filter((m) => m !== "")
  const reason = transportReasonOf(chain.map((link) => link.code))
  const detail = messages.length > 0
    ? messages.join(": ")
    : error.reason.description ?? error.reason._tag
  return new TransportError({
    // an answer that broke off while its body was read was reset, whatever the code says
    reason: isResponseError(error.reason) && reason === "Other" ? "ConnectionReset" : reason,
    endpoint: label,
    detail: withhold(excerpt(detail, 300), secrets)
  })
}
