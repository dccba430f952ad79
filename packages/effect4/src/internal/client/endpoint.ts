/**
 * An endpoint's declaration — method, path, the fields a call sends and where, the success
 * schema, the errors it can produce — read by the client, the public types and the simulator.
 */
import type * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import type { BearerTokenRequired, EndpointError, endpointErrors } from "../../TmdbError.js"

/** The HTTP methods TMDB's authentication API uses. */
export type Method = "GET" | "POST" | "DELETE"

/**
 * How a field a call sends is checked and held: `text` (a free string: a username), `token` (one
 * printable word TMDB issued: a request token), `secret` (free text that must never be shown: a
 * password), `secretToken` (a token that must never be shown: a session id, an access token).
 * Secret fields accept `string | Redacted<string>`. A kind ending in `?` marks a field the caller
 * may leave out (then it is not sent).
 */
export type FieldKind = Kind | `${Kind}?`

/** The kinds of field, without the optional mark. */
export type Kind = "text" | "token" | "secret" | "secretToken"

/** The fields of a call and their kinds. */
export type Fields = Readonly<Record<string, FieldKind>>

/** The value a caller gives for a field of this kind. */
export type FieldInput<K extends FieldKind> = K extends `secret${string}` ? string | Redacted.Redacted<string>
  : string

/** What a caller gives to call an endpoint with these fields. */
export type Input<F extends Fields> =
  & { readonly [K in keyof F as F[K] extends `${string}?` ? never : K]: FieldInput<F[K]> }
  & { readonly [K in keyof F as F[K] extends `${string}?` ? K : never]?: FieldInput<F[K]> | undefined }

/** An endpoint-specific error class (one of `TmdbError.endpointErrors`). */
export type EndpointErrorClass = (typeof endpointErrors)[number]

/**
 * A TMDB endpoint: where it is, what a call sends (`fields`, in the JSON `body` or the `query`),
 * how its success body decodes, which specific errors it has, and (`Local`) the error it fails
 * with before any request when it refuses api_key credentials.
 */
export interface Endpoint<A, E extends EndpointError = never, Local = never, F extends Fields = Fields> {
  readonly method: Method
  readonly path: string
  /** The method and path, as `"<method> <path>"`: used in errors and spans. */
  readonly label: string
  /** The name of the span each call runs in: `"tmdb.Authentication.createSession"`. */
  readonly span: string
  /** The fields a call sends, and their kinds. */
  readonly fields: F
  /** Where the fields travel: the JSON body, or the query string (TMDB's choice for `Account.details`). */
  readonly fieldsIn: "body" | "query"
  /** The success body's schema: the client decodes with it, the simulator encodes with it. */
  readonly success: Schema.Codec<A, unknown>
  /** The endpoint-specific errors it can fail with, besides those every endpoint can. */
  readonly errors: ReadonlyArray<EndpointErrorClass>
  /** Only for the type: the instances of {@link errors}. */
  readonly _E?: E
  /** Only for the type: the error a call fails with before any request ({@link bearerOnly}). */
  readonly _Local?: Local
  /**
   * Set for a logout: its value when a retried attempt (after one whose answer was lost) hears
   * that the session is unknown or invalid — it is gone either way.
   */
  readonly goneAfterRetry: A | undefined
  /** Bearer-only (v4): api_key credentials fail with `BearerTokenRequired` before any request. */
  readonly bearerOnly: boolean
}

/**
 * Declares an endpoint. `bearerOnly: true` (v4) makes api_key credentials fail with
 * `BearerTokenRequired` before any request, and adds it to the error type.
 */
export const endpoint = <
  A,
  I,
  const F extends Fields,
  const Errors extends ReadonlyArray<EndpointErrorClass> = [],
  const BearerOnly extends boolean = false
>(options: {
  readonly method: Method
  readonly path: string
  readonly span: string
  readonly success: Schema.Codec<A, I>
  readonly fields: F
  readonly fieldsIn?: "body" | "query"
  readonly errors?: Errors
  readonly goneAfterRetry?: A
  readonly bearerOnly?: BearerOnly
}): Endpoint<A, InstanceType<Errors[number]>, BearerOnly extends true ? BearerTokenRequired : never, F> => ({
  method: options.method,
  path: options.path,
  label: `${options.method} ${options.path}`,
  span: options.span,
  fields: options.fields,
  fieldsIn: options.fieldsIn ?? "body",
  success: options.success,
  errors: options.errors ?? [],
  goneAfterRetry: options.goneAfterRetry,
  bearerOnly: options.bearerOnly === true
})
