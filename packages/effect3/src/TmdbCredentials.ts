/**
 * Credentials for TMDB: an API Read Access Token (sent as `Authorization: Bearer …`) or a v3
 * api_key (sent as the `api_key` query parameter), held as `Redacted` values.
 *
 * @since 1.0.0
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { InvalidCredentialsFormat } from "./TmdbError.js"

/**
 * The two kinds of TMDB credentials.
 *
 * @example
 * ```ts
 * import { TmdbCredentials } from "tmdb-effect"
 *
 * const sentAs = (credentials: TmdbCredentials.Credentials) =>
 *   credentials._tag === "BearerToken" ? "Authorization header" : "api_key query parameter"
 * ```
 *
 * @since 1.0.0
 * @category models
 */
export type Credentials = Data.TaggedEnum<{
  /** An API Read Access Token (a JWT), sent as `Authorization: Bearer …`. Works with v3 and v4. */
  readonly BearerToken: { readonly token: Redacted.Redacted<string> }
  /** A v3 api_key, sent as the `api_key` query parameter. v3 only. */
  readonly ApiKey: { readonly key: Redacted.Redacted<string> }
}>

/**
 * Constructors and matchers for {@link Credentials}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { TmdbCredentials } from "tmdb-effect"
 *
 * const credentials = TmdbCredentials.Credentials.BearerToken({ token: Redacted.make("eyJ…") })
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const Credentials: Data.TaggedEnum.Constructor<Credentials> = Data.taggedEnum<Credentials>()

/**
 * The credentials every endpoint uses.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TmdbCredentials } from "tmdb-effect"
 *
 * const kind = Effect.map(TmdbCredentials.TmdbCredentials, (credentials) => credentials._tag)
 * ```
 *
 * @since 1.0.0
 * @category tags
 */
export class TmdbCredentials
  extends /* @__PURE__ */ Context.Tag("tmdb-effect/TmdbCredentials")<TmdbCredentials, Credentials>()
{}

const API_KEY = /^[0-9a-fA-F]{32}$/
const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/
// Printable ASCII without spaces: what can go into a header value or a query parameter as is.
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/

const decodesToJsonObject = (segment: string): boolean => {
  const decoded = Encoding.decodeBase64UrlString(segment)
  if (Either.isLeft(decoded)) return false
  try {
    const json: unknown = JSON.parse(decoded.right)
    return typeof json === "object" && json !== null && !Array.isArray(json)
  } catch {
    return false
  }
}

const isJwt = (value: string): boolean => {
  const segments = value.split(".")
  return segments.length === 3 &&
    segments.every((segment) => BASE64URL_SEGMENT.test(segment)) &&
    decodesToJsonObject(segments[0]!) &&
    decodesToJsonObject(segments[1]!)
}

const unwrap = (raw: unknown): unknown => Redacted.isRedacted(raw) ? Redacted.value(raw) : raw

/** What is wrong with a value that can't be a token of any kind, if anything. */
const shapeProblem = (value: unknown): string | undefined => {
  if (typeof value !== "string") return `expected a string, got ${value === null ? "null" : typeof value}`
  if (value.length === 0) return "the value is empty"
  if (value.length > 4096) return `the value is ${value.length} characters long (4096 at most)`
  if (/[\r\n]/.test(value)) return "the value contains a line break"
  if (/\s/.test(value)) return "the value contains whitespace"
  if (!TOKEN_CHARACTERS.test(value)) return "the value contains characters other than printable ASCII"
  return undefined
}

/**
 * Detects the kind of credentials locally, without a request: a structurally valid JWT is a
 * Bearer token, 32 hexadecimal characters is a v3 api_key; surrounding whitespace is trimmed.
 * Anything else fails with `InvalidCredentialsFormat`, never silently sent as the wrong kind.
 *
 * @example
 * ```ts
 * import { Either } from "effect"
 * import { TmdbCredentials } from "tmdb-effect"
 *
 * const credentials = TmdbCredentials.parse("0123456789abcdef0123456789abcdef")
 * console.log(Either.map(credentials, (c) => c._tag)) // { _id: 'Either', _tag: 'Right', right: 'ApiKey' }
 * ```
 *
 * @since 1.0.0
 * @category parsing
 */
export const parse = (
  raw: string | Redacted.Redacted<string>
): Either.Either<Credentials, InvalidCredentialsFormat> => {
  const unwrapped = unwrap(raw)
  const value = typeof unwrapped === "string" ? unwrapped.trim() : unwrapped
  const problem = shapeProblem(value)
  if (problem !== undefined || typeof value !== "string") {
    return Either.left(new InvalidCredentialsFormat({ reason: problem ?? "expected a string" }))
  }
  if (API_KEY.test(value)) return Either.right(Credentials.ApiKey({ key: Redacted.make(value) }))
  if (isJwt(value)) return Either.right(Credentials.BearerToken({ token: Redacted.make(value) }))
  const reason = value.split(".").length === 3
    ? "it has three dot-separated segments but is not a valid JWT"
    : `it is a ${value.length}-character string that is neither`
  return Either.left(new InvalidCredentialsFormat({ reason }))
}

const explicit = (
  raw: string | Redacted.Redacted<string>,
  make: (value: Redacted.Redacted<string>) => Credentials
): Layer.Layer<TmdbCredentials, InvalidCredentialsFormat> => {
  const unwrapped = unwrap(raw)
  const value = typeof unwrapped === "string" ? unwrapped.trim() : unwrapped
  const problem = shapeProblem(value)
  return problem !== undefined || typeof value !== "string"
    ? Layer.fail(new InvalidCredentialsFormat({ reason: problem ?? "expected a string" }))
    : Layer.succeed(TmdbCredentials, make(Redacted.make(value)))
}

/**
 * Credentials from a raw string whose kind is detected by {@link parse}.
 *
 * @example
 * ```ts
 * import { Authentication, TmdbCredentials } from "tmdb-effect"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * Authentication.validateKey().pipe(
 *   Effect.provide(TmdbCredentials.layer(process.env.TMDB_TOKEN ?? "")),
 *   Effect.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer = (
  raw: string | Redacted.Redacted<string>
): Layer.Layer<TmdbCredentials, InvalidCredentialsFormat> =>
  Either.match(parse(raw), {
    onLeft: Layer.fail,
    onRight: (credentials) => Layer.succeed(TmdbCredentials, credentials)
  })

/**
 * An API Read Access Token, used as `Authorization: Bearer …` without checking its shape
 * (only that it is one printable token without whitespace).
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { TmdbCredentials } from "tmdb-effect"
 *
 * const credentials = TmdbCredentials.bearer(Redacted.make("eyJhbGciOi…"))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const bearer = (
  token: string | Redacted.Redacted<string>
): Layer.Layer<TmdbCredentials, InvalidCredentialsFormat> =>
  explicit(token, (value) => Credentials.BearerToken({ token: value }))

/**
 * A v3 api_key, used as the `api_key` query parameter without checking its shape: the escape
 * hatch for a key that is not 32 hexadecimal characters.
 *
 * @example
 * ```ts
 * import { TmdbCredentials } from "tmdb-effect"
 *
 * const credentials = TmdbCredentials.apiKey("0123456789abcdef0123456789abcdef")
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const apiKey = (
  key: string | Redacted.Redacted<string>
): Layer.Layer<TmdbCredentials, InvalidCredentialsFormat> =>
  explicit(key, (value) => Credentials.ApiKey({ key: value }))

/**
 * Credentials read from a `Config` you name, then detected by {@link parse}.
 *
 * @example
 * ```ts
 * import { Config } from "effect"
 * import { TmdbCredentials } from "tmdb-effect"
 *
 * const credentials = TmdbCredentials.layerFromConfig(Config.redacted("MY_APP_TMDB_TOKEN"))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerFromConfig = (
  config: Config.Config<string | Redacted.Redacted<string>>
): Layer.Layer<TmdbCredentials, ConfigError.ConfigError | InvalidCredentialsFormat> =>
  Layer.effect(TmdbCredentials, Effect.flatMap(config, parse))

/** What {@link layerConfig} says when neither variable is set. */
const missingMessage = "No TMDB credentials: set TMDB_BEARER_TOKEN to your API Read Access Token " +
  "(or TMDB_API_KEY to your v3 API key), both on https://www.themoviedb.org/settings/api."

/**
 * Credentials from the environment: `TMDB_BEARER_TOKEN`, else `TMDB_API_KEY`. Neither set is a
 * `ConfigError` whose message names both and where to get them; a
 * malformed value is `InvalidCredentialsFormat`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Authentication, TmdbCredentials } from "tmdb-effect"
 *
 * Authentication.createRequestToken().pipe(
 *   Effect.provide(TmdbCredentials.layerConfig),
 *   Effect.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerConfig: Layer.Layer<TmdbCredentials, ConfigError.ConfigError | InvalidCredentialsFormat> = Layer
  .effect(
    TmdbCredentials,
    Effect.flatMap(
      // An empty variable counts as unset, so `TMDB_BEARER_TOKEN=` doesn't hide a TMDB_API_KEY.
      Config.map(
        Config.redacted(Config.nonEmptyString("TMDB_BEARER_TOKEN")),
        (value) => ["TMDB_BEARER_TOKEN", value] as const
      )
        .pipe(
          Config.orElse(() =>
            Config.map(
              Config.redacted(Config.nonEmptyString("TMDB_API_KEY")),
              (value) => ["TMDB_API_KEY", value] as const
            )
          )
        ),
      ([name, value]) =>
        Either.mapLeft(parse(value), (error) => new InvalidCredentialsFormat({ reason: `${name}: ${error.reason}` }))
    ).pipe(
      // Effect's own message for two missing variables is two bracketed paths joined by "or".
      Effect.catchIf(
        (error): error is ConfigError.ConfigError =>
          error._tag === "ConfigError" && ConfigError.isMissingDataOnly(error),
        () => Effect.fail(ConfigError.MissingData([], missingMessage))
      )
    )
  )
