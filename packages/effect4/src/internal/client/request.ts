/**
 * The request one call sends: its fields checked as the endpoint declares them, then method,
 * URL, `Accept`, the credential and the fields, secrets revealed only here, on the wire.
 */
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Record from "effect/Record"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import type { Credentials } from "../../TmdbCredentials.js"
import type { InvalidInput } from "../../TmdbError.js"
import { withoutTrailingSlash } from "../util/url.js"
import type { FieldKind, Fields, Method } from "./endpoint.js"
import * as Input from "./input.js"

/** Values sent with a request; `Redacted` ones are secrets: no error, log or span shows them. */
export type Params = Readonly<Record<string, string | Redacted.Redacted<string>>>

/** The check of a field of each kind. */
const checks: {
  readonly [K in FieldKind]: (
    field: string,
    value: unknown
  ) => Result.Result<string | Redacted.Redacted<string>, InvalidInput>
} = {
  text: Input.text,
  token: Input.token,
  secret: Input.secret,
  secretToken: Input.secretToken,
  "text?": Input.text,
  "token?": Input.token,
  "secret?": Input.secret,
  "secretToken?": Input.secretToken
}

/**
 * A call's fields, checked as the endpoint declares them, in its order: the first that fails
 * its check is the `InvalidInput`. An optional field left out (or `undefined`) is not sent.
 * `input` is read here, where a call runs, so a missing argument is an `InvalidInput` too.
 */
export const checkFields = (fields: Fields, input: unknown): Result.Result<Params, InvalidInput> => {
  const params: Record<string, string | Redacted.Redacted<string>> = {}
  for (const [field, kind] of Object.entries(fields)) {
    const value: unknown = typeof input === "object" && input !== null ? Reflect.get(input, field) : undefined
    if (value === undefined && kind.endsWith("?")) continue
    const checked = checks[kind](field, value)
    if (Result.isFailure(checked)) return Result.fail(checked.failure)
    params[field] = checked.success
  }
  return Result.succeed(params)
}

const revealAll = (params: Params): Record<string, string> =>
  Record.map(params, (value) => Redacted.isRedacted(value) ? Redacted.value(value) : value)

/** The secrets among a call's values. */
export const secretsOf = (params: Params): Array<string> =>
  Object.values(params).flatMap((value) => Redacted.isRedacted(value) ? [Redacted.value(value)] : [])

/** The request a call sends: method, URL, `Accept`, the credential, and the call's own fields. */
export const buildRequest = (
  endpoint: { readonly method: Method; readonly path: string; readonly fieldsIn: "body" | "query" },
  credentials: Credentials,
  baseUrl: string,
  params: Params
): HttpClientRequest.HttpClientRequest => {
  const request = HttpClientRequest.make(endpoint.method)(withoutTrailingSlash(baseUrl) + endpoint.path).pipe(
    HttpClientRequest.acceptJson
  )
  const authorized = credentials._tag === "BearerToken"
    ? HttpClientRequest.bearerToken(request, credentials.token)
    : HttpClientRequest.setUrlParam(request, "api_key", Redacted.value(credentials.key))
  if (Object.keys(params).length === 0) return authorized
  return endpoint.fieldsIn === "query"
    ? HttpClientRequest.setUrlParams(authorized, revealAll(params))
    : HttpClientRequest.bodyJsonUnsafe(authorized, revealAll(params))
}
