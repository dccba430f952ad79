/**
 * The decoders against TMDB's own examples (OpenAPI file) and responses recorded from the live
 * API, each answered through the real endpoint functions; and the simulator against the same
 * recordings, each recorded request replayed to it over HTTP.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Redacted, Schema } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import { readFileSync } from "node:fs"
import { Account, Authentication, AuthV4, TmdbConfig, TmdbCredentials } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { replay } from "./utils/replay.js"

const fixtures = new URL("../../../fixtures/", import.meta.url)
const openapi = JSON.parse(readFileSync(new URL("tmdb-openapi-auth.json", fixtures), "utf8"))
const recorded = JSON.parse(readFileSync(new URL("tmdb-recorded-auth-responses.json", fixtures), "utf8"))

const credentials = TmdbCredentials.apiKey("0123456789abcdef0123456789abcdef").pipe(Layer.orDie)

const call: Record<string, () => Effect.Effect<unknown, { readonly _tag: string }, Authentication.Requirements>> = {
  "/3/authentication": () => Authentication.validateKey(),
  "/3/authentication/guest_session/new": () => Authentication.createGuestSession(),
  "/3/authentication/token/new": () => Authentication.createRequestToken(),
  "/3/authentication/token/validate_with_login": () =>
    Authentication.createSessionWithLogin({ username: "bla", password: "bla", request_token: "abc" }),
  "/3/authentication/session/new": () => Authentication.createSession({ request_token: "abc" }),
  "/3/authentication/session/convert/4": () => Authentication.createSessionFromV4Token({ access_token: "eyJ" }),
  "/3/authentication/session": () => Authentication.deleteSession({ session_id: "abc" }),
  "/3/account": () => Account.details({ session_id: "abc" }),
  "/3/account/{account_id}": () => Account.details({ session_id: "abc" })
}

const run = (path: string, status: number, body: unknown) =>
  call[path]!().pipe(
    Effect.provide(replay({ status, body }).layer),
    Effect.provide(credentials),
    Effect.provide(TmdbConfig.layer({ retry: false })),
    Effect.result
  )

interface Example {
  readonly path: string
  readonly status: number
  readonly body: unknown
}

const examples: Array<Example> = []
for (const [path, operations] of Object.entries(openapi.paths as Record<string, Record<string, any>>)) {
  for (const operation of Object.values(operations)) {
    const id: string = operation.operationId ?? ""
    if (!id.startsWith("authentication-") && id !== "account-details") continue
    for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
      for (const example of Object.values(response.content?.["application/json"]?.examples ?? {}) as Array<any>) {
        examples.push({ path, status: Number(status), body: JSON.parse(example.value) })
      }
    }
  }
}

describe("TMDB's OpenAPI examples", () => {
  it("covers every authentication operation", () => {
    assert.strictEqual(new Set(examples.map((e) => e.path)).size, 8)
  })

  it.effect.each(examples.map((e) => [`${e.status} ${e.path}`, e] as const))(
    "%s decodes",
    ([, example]) =>
      Effect.gen(function*() {
        const result = yield* run(example.path, example.status, example.body)
        if (example.status === 200) {
          assert.strictEqual(result._tag, "Success", JSON.stringify(result))
        } else {
          // the only documented failure: 401, code 7
          assert.strictEqual(result._tag === "Failure" && result.failure._tag, "InvalidApiKey")
        }
      })
  )

  it.effect("keeps values exact: expires_at as DateTime.Utc, ids redacted", () =>
    Effect.gen(function*() {
      const token = yield* run("/3/authentication/token/new", 200, {
        success: true,
        expires_at: "2016-08-26 17:04:39 UTC",
        request_token: "ff5c7eeb5a8870efe3cd7fc5c282cffd26800ecd"
      })
      assert.strictEqual(token._tag, "Success")
      const value = (token as any).success as Authentication.RequestToken
      assert.strictEqual(DateTime.formatIso(value.expires_at), "2016-08-26T17:04:39.000Z")
      assert.strictEqual(value.request_token, "ff5c7eeb5a8870efe3cd7fc5c282cffd26800ecd")

      const session = yield* run("/3/authentication/session/new", 200, {
        success: true,
        session_id: "79191836ddaa0da3df76a5ffef6f07ad6ab0c641"
      })
      const sessionValue = (session as any).success as Authentication.Session
      assert.isTrue(Redacted.isRedacted(sessionValue.session_id))
      assert.strictEqual(Redacted.value(sessionValue.session_id), "79191836ddaa0da3df76a5ffef6f07ad6ab0c641")
      assert.notInclude(String(sessionValue), "79191836")
      assert.notInclude(JSON.stringify(sessionValue), "79191836")
    }))
})

describe("the endpoint declarations against TMDB's OpenAPI", () => {
  const operations = new Map<string, { readonly method: string; readonly path: string; readonly operation: any }>()
  for (const [path, byMethod] of Object.entries(openapi.paths as Record<string, Record<string, any>>)) {
    for (const [method, operation] of Object.entries(byMethod)) {
      operations.set(operation.operationId, { method: method.toUpperCase(), path, operation })
    }
  }
  const declared = [
    ["authentication-validate-key", Authentication.endpoints.validateKey],
    ["authentication-create-guest-session", Authentication.endpoints.createGuestSession],
    ["authentication-create-request-token", Authentication.endpoints.createRequestToken],
    ["authentication-create-session-from-login", Authentication.endpoints.createSessionWithLogin],
    ["authentication-create-session", Authentication.endpoints.createSession],
    ["authentication-create-session-from-v4-token", Authentication.endpoints.createSessionFromV4Token],
    ["authentication-delete-session", Authentication.endpoints.deleteSession],
    ["account-details", Account.endpoints.details]
  ] as const

  it("declares every operation of the file, and nothing else", () => {
    assert.strictEqual(Object.keys(Authentication.endpoints).length + Object.keys(Account.endpoints).length, 8)
    assert.deepStrictEqual(declared.map(([id]) => id).sort(), [...operations.keys()].sort())
  })

  it.each(declared.map(([id, endpoint]) => [id, endpoint] as const))("%s: method and path", (id, endpoint) => {
    const documented = operations.get(id)!
    assert.strictEqual(endpoint.method, documented.method)
    if (id === "account-details") {
      // The file documents /3/account/{account_id}; with a session, TMDB answers /3/account without
      // the id (recorded from the live API), which is what the library calls before it knows the id.
      assert.strictEqual(endpoint.path, documented.path.replace("/{account_id}", ""))
      assert.isTrue(
        (recorded.recordings as Array<any>).some((r) => r.method === "GET" && r.path === endpoint.path),
        "recorded from the live API"
      )
    } else {
      assert.strictEqual(endpoint.path, documented.path)
    }
  })

  it.each(declared.map(([id, endpoint]) => [id, endpoint] as const))(
    "%s: the fields, where TMDB takes them",
    (id, endpoint) => {
      const { operation } = operations.get(id)!
      const example = operation.requestBody?.content?.["application/json"]?.examples?.["Request Example"]?.value
      const query = (operation.parameters ?? []).filter((p: any) => p.in === "query").map((p: any) => p.name)
      const fields = Object.keys(endpoint.fields).sort()
      if (endpoint.fieldsIn === "body") {
        assert.deepStrictEqual(fields, Object.keys(example ?? {}).sort())
        assert.deepStrictEqual(query, [])
      } else {
        assert.isUndefined(example)
        assert.deepStrictEqual(fields, [...query].sort())
      }
    }
  )
})

describe("responses recorded from the live API", () => {
  const expected: Record<string, string> = {
    "GET /3/account": "AccountDetails",
    "GET /3/authentication": "KeyValidation",
    "GET /3/authentication/guest_session/new": "GuestSession",
    "GET /3/authentication/session/new": "SessionDenied",
    "GET /3/authentication/token/new": "RequestToken",
    "GET /3/authentication/token/validate_with_login": "InvalidLogin"
  }

  it.effect.each(
    (recorded.recordings as Array<any>).map((r) => [`${r.method} ${r.path} (${r.status})`, r] as const)
  )("%s", ([, recording]) =>
    Effect.gen(function*() {
      const result = yield* run(recording.path, recording.status, recording.body)
      const got = result._tag === "Success"
        ? (result.success as object).constructor.name
        : result.failure._tag
      assert.strictEqual(got, expected[`${recording.method} ${recording.path}`])
    }))

  it.effect("an account with avatar_path null decodes to null", () =>
    Effect.gen(function*() {
      const recording = (recorded.recordings as Array<any>).find((r) => r.path === "/3/account")
      const result = yield* run("/3/account", 200, recording.body)
      assert.strictEqual(result._tag, "Success")
      const account = (result as any).success as Account.AccountDetails
      assert.strictEqual(account.avatar.tmdb.avatar_path, null)
      assert.strictEqual(account.id, 6089455)
      assert.strictEqual(account.username, "TMDbTestAccount")
    }))
})

describe("response schemas with secrets", () => {
  // Arbitrary values of the classes that carry a Redacted secret survive encode → decode.
  it.prop(
    "Session and AccessToken round-trip, secrets still Redacted",
    { session: Authentication.Session, access: AuthV4.AccessToken },
    ({ access, session }) => {
      const sessionAgain = Schema.decodeSync(Authentication.Session)(Schema.encodeSync(Authentication.Session)(session))
      assert.isTrue(Redacted.isRedacted(sessionAgain.session_id))
      assert.isTrue(Schema.toEquivalence(Authentication.Session)(session, sessionAgain))
      const accessAgain = Schema.decodeSync(AuthV4.AccessToken)(Schema.encodeSync(AuthV4.AccessToken)(access))
      assert.strictEqual(Redacted.value(accessAgain.access_token), Redacted.value(access.access_token))
      assert.isTrue(Schema.toEquivalence(AuthV4.AccessToken)(access, accessAgain))
    }
  )

  it("an empty secret is refused on both sides", () => {
    assert.throws(() => Schema.decodeUnknownSync(Authentication.Session)({ success: true, session_id: "" }))
    assert.throws(() => new Authentication.Session({ success: true, session_id: Redacted.make("") }))
  })
})

describe("the simulator, served, answers each recorded request as recorded", () => {
  // The recorded account, so its details compare value for value.
  const account = {
    username: "TMDbTestAccount",
    password: "pw",
    name: "Test Name",
    iso_639_1: "en",
    iso_3166_1: "BE",
    include_adult: false,
    avatar_path: null
  }
  // What the live API generates: compared on JSON type and shape (hex digits and digits alike).
  const generated = new Set(["guest_session_id", "request_token", "expires_at", "id", "avatar.gravatar.hash"])
  const jsonType = (value: unknown) => value === null ? "null" : Array.isArray(value) ? "array" : typeof value
  const shape = (value: unknown) => typeof value === "string" ? value.replace(/[0-9a-f]/g, "0") : jsonType(value)

  /** Every difference between an answer's body and the recording's, by path. */
  const differences = (got: unknown, want: unknown, path = ""): Array<string> => {
    if (jsonType(got) !== jsonType(want)) return [`${path}: ${jsonType(got)}, recorded ${jsonType(want)}`]
    if (jsonType(want) === "object") {
      const [gotKeys, wantKeys] = [Object.keys(got as object), Object.keys(want as object)]
      if (gotKeys.join() !== wantKeys.join()) return [`${path}: keys ${gotKeys}, recorded ${wantKeys}`]
      return wantKeys.flatMap((key) =>
        differences((got as any)[key], (want as any)[key], path === "" ? key : `${path}.${key}`)
      )
    }
    const [g, w] = generated.has(path) ? [shape(got), shape(want)] : [got, want]
    return g === w ? [] : [`${path}: ${JSON.stringify(got)}, recorded ${JSON.stringify(want)}`]
  }

  it("finds a difference where there is one", () => {
    const recording = { success: false, status_code: 30, nested: { id: 1, hash: "ab" } }
    assert.deepStrictEqual(differences({ success: false, status_code: 30, nested: { id: 2, hash: "ab" } }, recording), [
      "nested.id: 2, recorded 1"
    ])
    assert.lengthOf(differences({ status_code: 30, success: false, nested: { id: 1, hash: "ab" } }, recording), 1)
    assert.lengthOf(differences({ success: "false", status_code: 30, nested: { id: 1, hash: "ab" } }, recording), 1)
    assert.deepStrictEqual(
      differences({ expires_at: "1970-01-02 00:00:00 UTC" }, { expires_at: "2026-01-01 00:00:00 UTC" }),
      []
    )
    assert.lengthOf(differences({ expires_at: "1970-01-02T00:00:00Z" }, { expires_at: "2026-01-01 00:00:00 UTC" }), 1)
  })

  it.effect.each(
    (recorded.recordings as Array<any>).map((r) => [`${r.method} ${r.path} (${r.status})`, r] as const)
  )("%s", ([, recording]) =>
    Effect.gen(function*() {
      const { baseUrl } = yield* TmdbConfig.TmdbConfig
      // The recorder sent an api_key (stripped from the recording), and /3/account a session.
      const query: Record<string, string> = { api_key: TmdbSimulator.apiKey }
      for (const { name, pattern } of recording.query) query[name] = pattern[0]
      if (recording.path === "/3/account") {
        const session = yield* Authentication.loginWithPassword(account)
        query["session_id"] = Redacted.value(session.session_id)
      }
      const client = yield* HttpClient.HttpClient
      const response = yield* client.execute(
        HttpClientRequest.make(recording.method)(baseUrl + recording.path).pipe(HttpClientRequest.setUrlParams(query))
      )
      const body = yield* response.json
      assert.strictEqual(response.status, recording.status)
      assert.strictEqual(response.headers["content-type"], recording.headers["Content-Type"])
      assert.deepStrictEqual(differences(body, recording.body), [])
      const callback = recording.headers["authentication-callback"]
      if (callback !== undefined) {
        assert.strictEqual(
          response.headers["authentication-callback"],
          `${baseUrl}/authenticate/${(body as { request_token: string }).request_token}`
        )
      }
    }).pipe(
      Effect.provide(Layer.mergeAll(
        TmdbSimulator.layerServer({ accounts: [account] }),
        TmdbSimulator.apiKeyCredentials,
        FetchHttpClient.layer
      ))
    ))
})
