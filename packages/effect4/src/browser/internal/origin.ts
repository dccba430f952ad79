/**
 * Where a browser login may send the user back with an approved token: https, or plain http to
 * this machine only (a loopback host, which no network in between can read). No `node:` import:
 * a browser bundle uses it.
 */
import { isHttp } from "../../internal/util/url.js"

/** This machine, as the URL parser spells it in `hostname` (lowercase, IPv6 in brackets). */
const loopbackHosts: ReadonlyArray<string> = ["127.0.0.1", "[::1]", "localhost"]

/** Whether a URL is https, or http on a loopback host (127.0.0.1, [::1], localhost). */
export const isSecureOrLoopback = (url: URL): boolean =>
  url.protocol === "https:" || (url.protocol === "http:" && loopbackHosts.includes(url.hostname))

/** The rule of {@link isSecureOrLoopback}, in words (for a fixed-text reason). */
export const secureOrLoopbackRule = "https, or http on a loopback host (127.0.0.1, [::1], localhost)"

/** `value` as a URL, if it is an absolute one. */
export const parseUrl = (value: string): URL | undefined => URL.canParse(value) ? new URL(value) : undefined

/**
 * The origin of the page this code runs on (`globalThis.location.origin`), when there is one and
 * it is http(s); none in Node, in tests, in server-side rendering, or on an opaque origin
 * (`"null"`: a `file:` page, a sandboxed frame). Read at each call.
 */
export const pageOrigin = (): string | undefined => {
  try {
    const origin = (globalThis as { readonly location?: { readonly origin?: unknown } }).location?.origin
    if (typeof origin !== "string") return undefined
    const url = parseUrl(origin)
    return url !== undefined && isHttp(url) ? url.origin : undefined
  } catch {
    return undefined // a `location` whose getter throws (a detached or cross-origin frame)
  }
}
