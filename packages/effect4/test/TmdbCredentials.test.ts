import { assert, describe, it } from "@effect/vitest"
import type { Layer } from "effect"
import { ConfigProvider, Effect, Exit, Redacted, Result } from "effect"
import { inspect } from "node:util"
import { TmdbCredentials } from "tmdb-effect"
import { appToken, b64 } from "./utils/jwt.js"

const jwt = appToken({ aud: "x" }, "c2lnbmF0dXJl")
const key = "0123456789abcdef0123456789ABCDEF"

const kind = (raw: string | Redacted.Redacted<string>) =>
  Result.match(TmdbCredentials.parse(raw), { onFailure: (e) => e._tag, onSuccess: (c) => c._tag })

const reasonOf = (raw: string) =>
  Result.match(TmdbCredentials.parse(raw), { onFailure: (e) => e.message, onSuccess: () => "" })

describe("TmdbCredentials.parse", () => {
  it("detects a JWT as a Bearer token and 32 hex characters as an api_key", () => {
    assert.strictEqual(kind(jwt), "BearerToken")
    assert.strictEqual(kind(key), "ApiKey")
    assert.strictEqual(kind(Redacted.make(jwt)), "BearerToken")
  })

  it("trims surrounding whitespace and keeps the value redacted", () => {
    const parsed = Result.getOrThrow(TmdbCredentials.parse(`  ${key}\n`))
    assert.strictEqual(parsed._tag, "ApiKey")
    if (parsed._tag === "ApiKey") assert.strictEqual(Redacted.value(parsed.key), key)
    assert.notInclude(inspect(parsed, { depth: 10 }), key)
    assert.notInclude(JSON.stringify(parsed), key)
    assert.notInclude(String(parsed), key)
  })

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["0123456789abcdef 0123456789abcdef", "whitespace"],
    ["0123456789abcdef0123456789abcde", "neither"], // 31 hex
    ["0123456789abcdef0123456789abcdeg", "neither"], // not hex
    ["0123456789abcdef0123456789abcdef0", "neither"], // 33 hex
    ["a.b.c", "not a valid JWT"],
    [`${b64({ alg: "HS256" })}.${b64([1, 2])}.sig`, "not a valid JWT"], // payload is not an object
    [`${b64({ alg: "HS256" })}.${b64({ a: 1 })}.si+g`, "not a valid JWT"], // not base64url
    [`${jwt}\r\nX-Injected: 1`, "line break"],
    ["clé-non-ascii-0123456789abcdef012", "ASCII"]
  ])("rejects %j (%s) without echoing it", (raw, expected) => {
    assert.strictEqual(kind(raw), "InvalidCredentialsFormat")
    const message = reasonOf(raw)
    assert.include(message, expected)
    assert.include(message, "JWT")
    assert.include(message, "32 hexadecimal characters")
    if (raw.trim().length > 3) assert.notInclude(message, raw.trim())
  })

  it("rejects values that are not strings (from plain JavaScript)", () => {
    for (const raw of [undefined, null, 42, {}]) {
      const message = Result.match(TmdbCredentials.parse(raw as unknown as string), {
        onFailure: (e) => e.reason,
        onSuccess: () => "parsed"
      })
      assert.match(message, /expected a string/)
    }
  })
})

describe("TmdbCredentials layers", () => {
  const read = <E>(layer: Layer.Layer<TmdbCredentials.TmdbCredentials, E>) =>
    Effect.provide(TmdbCredentials.TmdbCredentials, layer)

  it.effect("layer detects the kind", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* read(TmdbCredentials.layer(jwt)))._tag, "BearerToken")
      assert.strictEqual((yield* read(TmdbCredentials.layer(key)))._tag, "ApiKey")
      const exit = yield* Effect.exit(read(TmdbCredentials.layer("nope")))
      assert.isTrue(Exit.isFailure(exit))
    }))

  it.effect("bearer and apiKey take any single token, but not whitespace or an empty value", () =>
    Effect.gen(function*() {
      const credentials = yield* read(TmdbCredentials.apiKey("short-key"))
      assert.strictEqual(credentials._tag, "ApiKey")
      assert.strictEqual(
        (yield* read(TmdbCredentials.bearer("opaque")))
          ._tag,
        "BearerToken"
      )
      const error = yield* Effect.flip(read(TmdbCredentials.bearer("a\r\nb")))
      assert.strictEqual(error._tag, "InvalidCredentialsFormat")
      assert.strictEqual((yield* Effect.flip(read(TmdbCredentials.apiKey("")))).reason, "the value is empty")
    }))

  const withEnv = (env: Record<string, string>) =>
    Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env }))

  it.effect("layerConfig prefers TMDB_BEARER_TOKEN, then TMDB_API_KEY", () =>
    Effect.gen(function*() {
      const both = yield* read(TmdbCredentials.layerConfig).pipe(
        withEnv({ TMDB_BEARER_TOKEN: jwt, TMDB_API_KEY: key })
      )
      assert.strictEqual(both._tag, "BearerToken")
      const onlyKey = yield* read(TmdbCredentials.layerConfig).pipe(withEnv({ TMDB_API_KEY: key }))
      assert.strictEqual(onlyKey._tag, "ApiKey")
    }))

  it.effect("layerConfig takes an empty TMDB_BEARER_TOKEN as unset", () =>
    Effect.gen(function*() {
      const credentials = yield* read(TmdbCredentials.layerConfig).pipe(
        withEnv({ TMDB_BEARER_TOKEN: "", TMDB_API_KEY: key })
      )
      assert.strictEqual(credentials._tag, "ApiKey")
    }))

  it.effect("layerConfig names the variable that holds a malformed value", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(read(TmdbCredentials.layerConfig).pipe(withEnv({ TMDB_BEARER_TOKEN: "a.b.c" })))
      assert.strictEqual(error._tag, "InvalidCredentialsFormat")
      if (error._tag === "InvalidCredentialsFormat") assert.match(error.message, /TMDB_BEARER_TOKEN: it has three/)
    }))

  it.effect("layerConfig with neither set names both variables", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(read(TmdbCredentials.layerConfig).pipe(withEnv({})))
      assert.strictEqual(error._tag, "ConfigError")
      // one sentence, naming both variables and where to get a token (Effect 4's ConfigError
      // shows it as its cause, `SchemaError(…)`: the missing data)
      assert.include(
        error.message,
        "No TMDB credentials: set TMDB_BEARER_TOKEN to your API Read Access Token " +
          "(or TMDB_API_KEY to your v3 API key), both on https://www.themoviedb.org/settings/api."
      )
    }))

  it.effect("layerConfig with a malformed value is InvalidCredentialsFormat", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(read(TmdbCredentials.layerConfig).pipe(withEnv({ TMDB_API_KEY: "oops" })))
      assert.strictEqual(error._tag, "InvalidCredentialsFormat")
    }))
})
