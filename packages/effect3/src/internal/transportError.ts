/**
 * A platform HTTP error as a `TransportError`: the platform's errors carry the request (the URL
 * with the api_key, the body with the password), so only a reason and a description are kept,
 * withheld whole if it quotes a secret.
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import { TransportError } from "../TmdbError.js"
import { excerpt, withhold } from "./withhold.js"

/** The `cause` chain of a platform error, outermost first (bounded: a cause may point at itself). */
const causeChain = (error: unknown): Array<{ readonly code?: unknown; readonly message?: unknown }> => {
  const chain: Array<{ readonly code?: unknown; readonly message?: unknown }> = []
  for (let current = error; typeof current === "object" && current !== null && chain.length < 8;) {
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
export const fromHttpClientError = (
  label: string,
  error: HttpClientError.HttpClientError,
  secrets: ReadonlyArray<string>
): TransportError => {
  const chain = causeChain(error.cause)
  const messages = chain.map((link) => typeof link.message === "string" ? link.message : "").filter((m) => m !== "")
  const reason = reasonOf(chain.map((link) => link.code))
  const detail = messages.length > 0 ? messages.join(": ") : `${error._tag} (${error.reason})`
  return new TransportError({
    // an answer that broke off while its body was read was reset, whatever the code says
    reason: error._tag === "ResponseError" && reason === "Other" ? "ConnectionReset" : reason,
    endpoint: label,
    detail: withhold(excerpt(detail, 300), secrets)
  })
}
