/**
 * The decoders against TMDB's own examples (OpenAPI file) and responses recorded from the live
 * API, each answered through the real endpoint functions.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Redacted, Schema } from "effect"
import { readFileSync } from "node:fs"
import { Account, Authentication, AuthV4, TmdbConfig, TmdbCredentials } from "tmdb-effect"
import { replay } from "./utils/replay.js"

const fixtures = new URL("./fixtures/", import.meta.url)
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
    Effect.either
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
          assert.strictEqual(result._tag, "Right", JSON.stringify(result))
        } else {
          // the only documented failure: 401, code 7
          assert.strictEqual(result._tag === "Left" && result.left._tag, "InvalidApiKey")
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
      assert.strictEqual(token._tag, "Right")
      const value = (token as any).right as Authentication.RequestToken
      assert.strictEqual(DateTime.formatIso(value.expires_at), "2016-08-26T17:04:39.000Z")
      assert.strictEqual(value.request_token, "ff5c7eeb5a8870efe3cd7fc5c282cffd26800ecd")

      const session = yield* run("/3/authentication/session/new", 200, {
        success: true,
        session_id: "79191836ddaa0da3df76a5ffef6f07ad6ab0c641"
      })
      const sessionValue = (session as any).right as Authentication.Session
      assert.isTrue(Redacted.isRedacted(sessionValue.session_id))
      assert.strictEqual(Redacted.value(sessionValue.session_id), "79191836ddaa0da3df76a5ffef6f07ad6ab0c641")
      assert.notInclude(String(sessionValue), "79191836")
      assert.notInclude(JSON.stringify(sessionValue), "79191836")
    }))
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
      const got = result._tag === "Right"
        ? (result.right as object).constructor.name
        : result.left._tag
      assert.strictEqual(got, expected[`${recording.method} ${recording.path}`])
    }))

  it.effect("an account with avatar_path null decodes to null", () =>
    Effect.gen(function*() {
      const recording = (recorded.recordings as Array<any>).find((r) => r.path === "/3/account")
      const result = yield* run("/3/account", 200, recording.body)
      assert.strictEqual(result._tag, "Right")
      const account = (result as any).right as Account.AccountDetails
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
      assert.isTrue(Schema.equivalence(Authentication.Session)(session, sessionAgain))
      const accessAgain = Schema.decodeSync(AuthV4.AccessToken)(Schema.encodeSync(AuthV4.AccessToken)(access))
      assert.strictEqual(Redacted.value(accessAgain.access_token), Redacted.value(access.access_token))
      assert.isTrue(Schema.equivalence(AuthV4.AccessToken)(access, accessAgain))
    }
  )

  it("an empty secret is refused on both sides", () => {
    assert.throws(() => Schema.decodeUnknownSync(Authentication.Session)({ success: true, session_id: "" }))
    assert.throws(() => new Authentication.Session({ success: true, session_id: Redacted.make("") }))
  })
})
