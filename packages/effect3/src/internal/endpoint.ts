/**
 * An endpoint's declaration (method, path, success schema, the errors it can produce), and the
 * request a call to it sends.
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Record from "effect/Record"
import * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import type { TmdbCredentials } from "../TmdbCredentials.js"
import { BearerTokenRequired } from "../TmdbError.js"
import type { EndpointError } from "../TmdbError.js"
import type { EndpointErrorClass } from "./errorBody.js"
import type { Method } from "./retry.js"
import { origin } from "./url.js"

/**
 * A TMDB endpoint: where it is, how its success body decodes, which specific errors it has, and
 * (`Local`) the error it fails with before any request when it refuses api_key credentials.
 */
export interface Endpoint<A, E extends EndpointError, Local = never> {
  readonly method: Method
  readonly path: string
  /** The method and path, as `"<method> <path>"`: used in errors and spans. */
  readonly label: string
  /** The name of the span each call runs in: `"tmdb.Authentication.createSession"`. */
  readonly span: string
  readonly success: Schema.Schema<A, unknown>
  /** The endpoint-specific errors it can fail with, besides those every endpoint can. */
  readonly errors: ReadonlyArray<EndpointErrorClass>
  /** Only for the type: the instances of {@link errors}. */
  readonly _E?: E
  /**
   * Set for a logout: its value when a retried attempt (after one whose answer was lost) hears
   * that the session is unknown or invalid — it is gone either way.
   */
  readonly goneAfterRetry: A | undefined
  /** Set for Bearer-only endpoints (v4): the error api_key credentials get, without a request. */
  readonly refuseApiKey: ((label: string) => Local) | undefined
}

/**
 * Declares an endpoint. `bearerOnly: true` (v4) makes api_key credentials fail with
 * `BearerTokenRequired` before any request, and adds it to the error type.
 */
export const endpoint = <
  A,
  I,
  const Errors extends ReadonlyArray<EndpointErrorClass> = [],
  const BearerOnly extends boolean = false
>(options: {
  readonly method: Method
  readonly path: string
  readonly span: string
  readonly success: Schema.Schema<A, I>
  readonly errors?: Errors
  readonly goneAfterRetry?: A
  readonly bearerOnly?: BearerOnly
}): Endpoint<A, InstanceType<Errors[number]>, BearerOnly extends true ? BearerTokenRequired : never> => ({
  method: options.method,
  path: options.path,
  label: `${options.method} ${options.path}`,
  span: options.span,
  success: options.success as Schema.Schema<A, unknown>,
  errors: options.errors ?? [],
  goneAfterRetry: options.goneAfterRetry,
  refuseApiKey: (options.bearerOnly === true
    ? (label: string) => new BearerTokenRequired({ endpoint: label })
    : undefined) as ((label: string) => BearerOnly extends true ? BearerTokenRequired : never) | undefined
})

/** Values sent with a request; `Redacted` ones are secrets: no error, log or span shows them. */
export type Params = Readonly<Record<string, string | Redacted.Redacted<string>>>

/** What one call sends besides the credentials. */
export interface Call {
  readonly query?: Params
  readonly body?: Params
}

const revealAll = (params: Params): Record<string, string> =>
  Record.map(params, (value) => Redacted.isRedacted(value) ? Redacted.value(value) : value)

export const secretsOf = (params: Params | undefined): Array<string> =>
  Object.values(params ?? {}).flatMap((value) => Redacted.isRedacted(value) ? [Redacted.value(value)] : [])

/** The request a call sends: method, URL, `Accept`, the credential, and the call's own parameters. */
export const buildRequest = (
  endpoint: { readonly method: Method; readonly path: string },
  credentials: TmdbCredentials["Type"],
  baseUrl: string,
  call: Call
): HttpClientRequest.HttpClientRequest => {
  const request = HttpClientRequest.make(endpoint.method)(origin(baseUrl) + endpoint.path).pipe(
    HttpClientRequest.acceptJson
  )
  const authorized = credentials._tag === "BearerToken"
    ? HttpClientRequest.bearerToken(request, credentials.token)
    : HttpClientRequest.setUrlParam(request, "api_key", Redacted.value(credentials.key))
  const withQuery = call.query === undefined
    ? authorized
    : HttpClientRequest.setUrlParams(authorized, revealAll(call.query))
  return call.body === undefined ? withQuery : HttpClientRequest.bodyUnsafeJson(withQuery, revealAll(call.body))
}
