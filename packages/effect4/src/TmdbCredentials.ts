/**
 * Credentials for TMDB: an API Read Access Token (sent as `Authorization: Bearer …`) or a v3
 * api_key (sent as the `api_key` query parameter), held as `Redacted` values.
 *
 * @since 2.0.0
 */
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import { tokenProblem } from "./internal/util/token.js"
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
 * @since 2.0.0
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
 * @since 2.0.0
 * @category constructors
 */
export const Credentials: Data.TaggedEnum.Constructor<Credentials> = /* @__PURE__ */ Data.taggedEnum<Credentials>()

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
 * @since 2.0.0
 * @category services
 */
export class TmdbCredentials
  extends /* @__PURE__ */ Context.Service<TmdbCredentials, Credentials>()("tmdb-effect/TmdbCredentials")
{}

/**
 * The credentials of a checked value: the same plain objects as `Credentials.BearerToken` and
 * `Credentials.ApiKey` make, without them, so that a bundle that only builds credentials
 * (`bearer`) leaves `Credentials` (`Data.taggedEnum`) out.
 */
const bearerTokenOf = (value: string): Credentials => ({ token: Redacted.make(value), _tag: "BearerToken" })
const apiKeyOf = (value: string): Credentials => ({ key: Redacted.make(value), _tag: "ApiKey" })

const API_KEY = /^[0-9a-fA-F]{32}$/
const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/
/** The longest credential accepted (as in 1.x). */
const MAX_LENGTH = 4096

const decodeBase64Url = /* @__PURE__ */ Schema.decodeUnknownResult(Schema.StringFromBase64Url)

const decodesToJsonObject = (segment: string): boolean =>
  Result.match(decodeBase64Url(segment), {
    onFailure: () => false,
    onSuccess: (decoded) =>
      Result.match(Result.try(() => JSON.parse(decoded) as unknown), {
        onFailure: () => false,
        onSuccess: (json) => typeof json === "object" && json !== null && !Array.isArray(json)
      })
  })

const isJwt = (value: string): boolean => {
  const segments = value.split(".")
  return segments.length === 3 &&
    segments.every((segment) => BASE64URL_SEGMENT.test(segment)) &&
    decodesToJsonObject(segments[0]!) &&
    decodesToJsonObject(segments[1]!)
}

/** The value of a raw credential, trimmed, or what is wrong with it when it can't be a token of any kind. */
const shaped = (raw: unknown): Result.Result<string, InvalidCredentialsFormat> => {
  const unwrapped: unknown = Redacted.isRedacted(raw) ? Redacted.value(raw) : raw
  if (typeof unwrapped !== "string") {
    return Result.fail(
      new InvalidCredentialsFormat({
        reason: `expected a string, got ${unwrapped === null ? "null" : typeof unwrapped}`
      })
    )
  }
  const value = unwrapped.trim()
  const problem = tokenProblem(value, MAX_LENGTH, "the value")
  return problem === undefined ? Result.succeed(value) : Result.fail(new InvalidCredentialsFormat({ reason: problem }))
}

/**
 * Detects the kind of credentials locally, without a request: a structurally valid JWT is a
 * Bearer token, 32 hexadecimal characters is a v3 api_key; surrounding whitespace is trimmed.
 * Anything else fails with `InvalidCredentialsFormat`, never silently sent as the wrong kind.
 *
 * @example
 * ```ts
 * import { Result } from "effect"
 * import { TmdbCredentials } from "tmdb-effect"
 *
 * const credentials = TmdbCredentials.parse("0123456789abcdef0123456789abcdef")
 * console.log(Result.map(credentials, (c) => c._tag)) // success: "ApiKey"
 * ```
 *
 * @since 2.0.0
 * @category parsing
 */
export const parse = (
  raw: string | Redacted.Redacted<string>
): Result.Result<Credentials, InvalidCredentialsFormat> =>
  Result.flatMap(shaped(raw), (value): Result.Result<Credentials, InvalidCredentialsFormat> => {
    if (API_KEY.test(value)) return Result.succeed(apiKeyOf(value))
    if (isJwt(value)) return Result.succeed(bearerTokenOf(value))
    const reason = value.split(".").length === 3
      ? "it has three dot-separated segments but is not a valid JWT"
      : `it is a ${value.length}-character string that is neither`
    return Result.fail(new InvalidCredentialsFormat({ reason }))
  })

const layerOf = (
  credentials: Result.Result<Credentials, InvalidCredentialsFormat>
): Layer.Layer<TmdbCredentials, InvalidCredentialsFormat> =>
  Result.match(credentials, {
    onFailure: (error) => Layer.effect(TmdbCredentials, Effect.fail(error)),
    onSuccess: (value) => Layer.succeed(TmdbCredentials, value)
  })

/**
 * Credentials from a raw string whose kind is detected by {@link parse}.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { Authentication, TmdbCredentials } from "tmdb-effect"
 *
 * Authentication.validateKey().pipe(
 *   Effect.provide(TmdbCredentials.layer(process.env.TMDB_TOKEN ?? "")),
 *   Effect.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layer = (
  raw: string | Redacted.Redacted<string>
): Layer.Layer<TmdbCredentials, InvalidCredentialsFormat> => layerOf(parse(raw))

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
 * @since 2.0.0
 * @category layers
 */
export const bearer = (
  token: string | Redacted.Redacted<string>
): Layer.Layer<TmdbCredentials, InvalidCredentialsFormat> => layerOf(Result.map(shaped(token), bearerTokenOf))

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
 * @since 2.0.0
 * @category layers
 */
export const apiKey = (
  key: string | Redacted.Redacted<string>
): Layer.Layer<TmdbCredentials, InvalidCredentialsFormat> => layerOf(Result.map(shaped(key), apiKeyOf))

/**
 * Credentials read from a `Config` you name, then detected by {@link parse}.
 *
 * @example
 * ```ts
 * import { Config } from "effect"
 * import { TmdbCredentials } from "tmdb-effect"
 *
 * const credentials = TmdbCredentials.layerFromConfig(Config.Redacted("MY_APP_TMDB_TOKEN"))
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layerFromConfig = (
  config: Config.Config<string | Redacted.Redacted<string>>
): Layer.Layer<TmdbCredentials, Config.ConfigError | InvalidCredentialsFormat> =>
  Layer.effect(TmdbCredentials, Effect.flatMap(config, (raw) => Effect.fromResult(parse(raw))))

/** What {@link layerConfig} says when neither variable is set. */
const missingMessage = "No TMDB credentials: set TMDB_BEARER_TOKEN to your API Read Access Token " +
  "(or TMDB_API_KEY to your v3 API key), both on https://www.themoviedb.org/settings/api."

/** A variable read as a secret; unset or empty is `None`, so `TMDB_BEARER_TOKEN=` doesn't hide a TMDB_API_KEY. */
const variable = (name: string) =>
  Config.option(Config.Redacted(name)).pipe(
    Config.map(Option.filter((value) => Redacted.value(value).length > 0)),
    Config.map(Option.map((value) => [name, value] as const))
  )

/**
 * Credentials from the environment: `TMDB_BEARER_TOKEN`, else `TMDB_API_KEY`. Neither set is a
 * `ConfigError` whose message names both and where to get them; a
 * malformed value is `InvalidCredentialsFormat`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { Authentication, TmdbCredentials } from "tmdb-effect"
 *
 * Authentication.createRequestToken().pipe(
 *   Effect.provide(TmdbCredentials.layerConfig),
 *   Effect.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 2.0.0
 * @category layers
 */
export const layerConfig: Layer.Layer<TmdbCredentials, Config.ConfigError | InvalidCredentialsFormat> =
  /* @__PURE__ */ Layer.effect(
    TmdbCredentials,
    /* @__PURE__ */ Effect.gen(function*() {
      const bearerToken = yield* variable("TMDB_BEARER_TOKEN")
      const found = Option.isSome(bearerToken) ? bearerToken : yield* variable("TMDB_API_KEY")
      if (Option.isNone(found)) {
        return yield* Effect.fail(
          new Config.ConfigError(
            new Schema.SchemaError(new SchemaIssue.MissingKey({ messageMissingKey: missingMessage }))
          )
        )
      }
      const [name, value] = found.value
      return yield* Effect.fromResult(
        Result.mapError(parse(value), (error) => new InvalidCredentialsFormat({ reason: `${name}: ${error.reason}` }))
      )
    })
  )
