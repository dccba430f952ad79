/**
 * Bad input from plain JavaScript (types cast away): every public function that takes input
 * rejects empty, whitespace-only, non-string, line-breaking (header injection), overlong and,
 * for tokens, non-ASCII values with InvalidInput or InvalidCredentialsFormat — a message naming
 * what was wrong, never the value — and sends no request.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Option, Redacted, Result } from "effect"
import { Account, Authentication, AuthV4, TmdbAuth, TmdbCredentials } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"

/** The typed failure of an exit (not a defect), if it has one. */
const typedFailure = <A, E extends { readonly _tag: string; readonly message?: string }>(exit: Exit.Exit<A, E>) =>
  Exit.isFailure(exit) && !Cause.hasDies(exit.cause)
    ? Option.getOrUndefined(Cause.findErrorOption(exit.cause))
    : undefined

const env = Layer.mergeAll(TmdbSimulator.layer(), TmdbSimulator.credentials)
const requests = Effect.flatMap(TmdbSimulator.TmdbSimulator, (simulator) => simulator.requests)

/** Any value at all, as plain JavaScript would pass it. */
const js = <A>(value: unknown): A => value as A

/** Bad values for any string argument, with what the message must say. */
const badStrings: ReadonlyArray<readonly [string, unknown, string]> = [
  ["empty", "", "it is empty"],
  ["spaces", "   ", "it is only whitespace"],
  ["tab and newline", "\t\n", "it is only whitespace"],
  ["null", null, "expected a string, got null"],
  ["undefined", undefined, "expected a string, got undefined"],
  ["a number", 42, "expected a string, got number"],
  ["NaN", Number.NaN, "expected a string, got number"],
  ["a boolean", true, "expected a string, got boolean"],
  ["an object", { toString: () => "sneaky" }, "expected a string, got an object"],
  ["an array", ["a"], "expected a string, got an array"],
  ["a CRLF header injection", "abc\r\nX-Injected: 1", "line break"],
  ["a bare LF", "abc\nd", "line break"],
  ["a NUL", "abc\u0000def", "control character"],
  ["overlong", "x".repeat(1025), "1025 characters long (1024 at most)"]
]

/** More bad values for tokens (request tokens, session ids, access tokens). */
const badTokens: ReadonlyArray<readonly [string, unknown, string]> = [
  ...badStrings,
  ["inner space", "abc def", "whitespace"],
  ["a no-break space", "abc\u00a0def", "whitespace"],
  ["non-ASCII", "tøken-ñ-ß", "non-ASCII"],
  ["an emoji", "token-🔑", "non-ASCII"]
]

interface Case {
  readonly fn: string
  readonly field: string
  readonly kind: "text" | "token"
  readonly call: (value: unknown) => Effect.Effect<unknown, { readonly _tag: string; readonly message: string }, any>
}

const ok = { username: "demo", password: "demo-password", request_token: "a".repeat(40) }

const cases: ReadonlyArray<Case> = [
  {
    fn: "Authentication.createSessionWithLogin",
    field: "username",
    kind: "text",
    call: (username) => Authentication.createSessionWithLogin(js({ ...ok, username }))
  },
  {
    fn: "Authentication.createSessionWithLogin",
    field: "password",
    kind: "text",
    call: (password) => Authentication.createSessionWithLogin(js({ ...ok, password }))
  },
  {
    fn: "Authentication.createSessionWithLogin",
    field: "request_token",
    kind: "token",
    call: (request_token) => Authentication.createSessionWithLogin(js({ ...ok, request_token }))
  },
  {
    fn: "Authentication.createSession",
    field: "request_token",
    kind: "token",
    call: (request_token) => Authentication.createSession(js({ request_token }))
  },
  {
    fn: "Authentication.createSessionFromV4Token",
    field: "access_token",
    kind: "token",
    call: (access_token) => Authentication.createSessionFromV4Token(js({ access_token }))
  },
  {
    fn: "Authentication.deleteSession",
    field: "session_id",
    kind: "token",
    call: (session_id) => Authentication.deleteSession(js({ session_id }))
  },
  {
    fn: "Authentication.loginWithPassword",
    field: "username",
    kind: "text",
    call: (username) => Authentication.loginWithPassword(js({ ...ok, username }))
  },
  {
    fn: "Authentication.loginWithPassword",
    field: "password",
    kind: "text",
    call: (password) => Authentication.loginWithPassword(js({ ...ok, password }))
  },
  {
    fn: "Account.details",
    field: "session_id",
    kind: "token",
    call: (session_id) => Account.details(js({ session_id }))
  },
  {
    fn: "AuthV4.createAccessToken",
    field: "request_token",
    kind: "token",
    call: (request_token) => AuthV4.createAccessToken(js({ request_token }))
  },
  {
    fn: "AuthV4.deleteAccessToken",
    field: "access_token",
    kind: "token",
    call: (access_token) => AuthV4.deleteAccessToken(js({ access_token }))
  },
  {
    fn: "AuthV4.loginToSession",
    field: "request_token",
    kind: "token",
    call: (request_token) => AuthV4.loginToSession(js({ request_token }))
  },
  {
    fn: "AuthV4.withAccessToken",
    field: "access_token",
    kind: "token",
    call: (access_token) => Authentication.validateKey().pipe(AuthV4.withAccessToken(js(access_token)))
  }
]

const SECRET_FIELDS = new Set(["password", "session_id", "access_token"])

const assertRejected = (
  exit: Exit.Exit<unknown, { readonly _tag: string; readonly message: string }>,
  what: string,
  field: string,
  expected: string,
  value: unknown
) => {
  assert.isTrue(Exit.isFailure(exit), `${what}: expected a failure`)
  if (Exit.isSuccess(exit)) return
  const failure = Cause.findErrorOption(exit.cause as Cause.Cause<{ readonly _tag: string; readonly message: string }>)
  assert.isFalse(Cause.hasDies(exit.cause), `${what}: expected a typed failure, not a defect`)
  if (Option.isNone(failure)) return assert.fail(`${what}: expected a typed failure`)
  const error = failure.value
  assert.strictEqual(error._tag, "InvalidInput", what)
  assert.include(error.message, `Invalid ${field}: `, what)
  assert.include(error.message, expected, what)
  if (typeof value === "string" && value.trim().length > 3) {
    assert.notInclude(error.message, value.trim(), `${what}: the value is repeated`)
  }
}

describe("bad input is InvalidInput, and nothing is sent", () => {
  for (const testCase of cases) {
    it.effect(`${testCase.fn} (${testCase.field})`, () =>
      Effect.gen(function*() {
        const values = testCase.kind === "token" ? badTokens : badStrings
        for (const [label, value, expected] of values) {
          const exit = yield* Effect.exit(testCase.call(value))
          assertRejected(exit, `${testCase.fn} ${testCase.field} = ${label}`, testCase.field, expected, value)
          // Secrets may also come redacted: the same checks apply to what is inside.
          if (SECRET_FIELDS.has(testCase.field)) {
            const redacted = yield* Effect.exit(testCase.call(Redacted.make(value)))
            assertRejected(
              redacted,
              `${testCase.fn} ${testCase.field} = Redacted(${label})`,
              testCase.field,
              expected,
              value
            )
          }
        }
        assert.lengthOf(yield* requests, 0)
      }).pipe(Effect.provide(env)))
  }

  it.effect("a password may hold spaces and non-ASCII; a token may not", () =>
    Effect.gen(function*() {
      const simulator = yield* TmdbSimulator.TmdbSimulator
      yield* simulator.addAccount({ username: "zoë", password: " pässwörd mit Leerzeichen " })
      const session = yield* Authentication.loginWithPassword({
        username: "zoë",
        password: " pässwörd mit Leerzeichen "
      })
      assert.isTrue(session.success)
    }).pipe(Effect.provide(env)))

  it.effect("AuthV4.createRequestToken: a redirect_to that is not a usable string", () =>
    Effect.gen(function*() {
      for (const [label, value, expected] of badStrings.filter(([label]) => label !== "undefined")) {
        const exit = yield* Effect.exit(AuthV4.createRequestToken(js({ redirect_to: value })))
        assertRejected(exit, `redirect_to = ${label}`, "redirect_to", expected, value)
      }
      assert.lengthOf(yield* requests, 0)
    }).pipe(Effect.provide(env)))

  it.effect("a missing or non-object input is InvalidInput naming the first field", () =>
    Effect.gen(function*() {
      const calls: ReadonlyArray<readonly [string, (input: unknown) => Effect.Effect<unknown, { _tag: string }, any>]> =
        [
          ["username", (input) => Authentication.createSessionWithLogin(js(input))],
          ["request_token", (input) => Authentication.createSession(js(input))],
          ["access_token", (input) => Authentication.createSessionFromV4Token(js(input))],
          ["session_id", (input) => Authentication.deleteSession(js(input))],
          ["username", (input) => Authentication.loginWithPassword(js(input))],
          ["session_id", (input) => Account.details(js(input))],
          ["request_token", (input) => AuthV4.createAccessToken(js(input))],
          ["access_token", (input) => AuthV4.deleteAccessToken(js(input))],
          ["request_token", (input) => AuthV4.loginToSession(js(input))]
        ]
      for (const [field, call] of calls) {
        for (const input of [undefined, null, 42, "a string", [], {}]) {
          const exit = yield* Effect.exit(call(input))
          assertRejected(exit as never, `${field} with input ${String(input)}`, field, "expected a string", undefined)
        }
      }
      assert.lengthOf(yield* requests, 0)
    }).pipe(Effect.provide(env)))

  it.effect("the TmdbAuth service runs the same checks", () =>
    Effect.gen(function*() {
      const tmdb = yield* TmdbAuth.make
      const exits: Array<Exit.Exit<unknown, { readonly _tag: string }>> = [
        yield* Effect.exit(tmdb.authentication.createSession(js(undefined))),
        yield* Effect.exit(tmdb.authentication.loginWithPassword(js({ username: "demo", password: "" }))),
        yield* Effect.exit(tmdb.account.details(js({ session_id: "a\r\nb" }))),
        yield* Effect.exit(tmdb.v4.deleteAccessToken(js({ access_token: 7 })))
      ]
      for (const exit of exits) {
        assert.strictEqual(typedFailure(exit)?._tag, "InvalidInput")
      }
      assert.lengthOf(yield* requests, 0)
    }).pipe(Effect.provide(env)))

  it.effect("input is read when the effect runs, not when it is built", () =>
    Effect.gen(function*() {
      let reads = 0
      const input = {
        get request_token(): string {
          reads++
          throw new Error("a getter that throws")
        }
      }
      const effect = Authentication.createSession(input)
      assert.strictEqual(reads, 0, "building the effect read the input")
      const exit = yield* Effect.exit(effect)
      assert.strictEqual(reads, 1)
      assert.isTrue(Exit.isFailure(exit) && Cause.hasDies(exit.cause), "a throwing getter is a defect of the run")
      assert.lengthOf(yield* requests, 0)
    }).pipe(Effect.provide(env)))

  it.effect("v4 with api_key credentials: bad input is reported first, as InvalidInput", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(AuthV4.createAccessToken(js({ request_token: "" })))
      assert.strictEqual(error._tag, "InvalidInput")
      const refused = yield* Effect.flip(AuthV4.createAccessToken({ request_token: "abc" }))
      assert.strictEqual(refused._tag, "BearerTokenRequired")
      assert.lengthOf(yield* requests, 0)
    }).pipe(Effect.provide(Layer.mergeAll(TmdbSimulator.layer(), TmdbSimulator.apiKeyCredentials))))
})

describe("bad credentials are InvalidCredentialsFormat, and nothing is sent", () => {
  const badCredentials: ReadonlyArray<readonly [string, unknown, string]> = [
    ["empty", "", "empty"],
    ["spaces", "   ", "empty"],
    ["null", null, "expected a string, got null"],
    ["undefined", undefined, "expected a string, got undefined"],
    ["a number", 42, "expected a string, got number"],
    ["an object", {}, "expected a string, got object"],
    ["a CRLF header injection", `${TmdbSimulator.bearerToken}\r\nX-Injected: 1`, "line break"],
    ["inner whitespace", `${TmdbSimulator.apiKey} ${TmdbSimulator.apiKey}`, "whitespace"],
    ["non-ASCII", `clé-${TmdbSimulator.apiKey}`, "ASCII"],
    ["overlong", "x".repeat(5000), "5000 characters long"],
    ["redacted empty", Redacted.make(""), "empty"],
    ["redacted number", Redacted.make(42), "expected a string, got number"]
  ]

  const builders: ReadonlyArray<
    readonly [string, (raw: unknown) => Layer.Layer<TmdbCredentials.TmdbCredentials, { _tag: string; message: string }>]
  > = [
    ["layer", (raw) => TmdbCredentials.layer(js(raw))],
    ["bearer", (raw) => TmdbCredentials.bearer(js(raw))],
    ["apiKey", (raw) => TmdbCredentials.apiKey(js(raw))]
  ]

  it("parse", () => {
    for (const [label, raw, expected] of badCredentials) {
      const result = TmdbCredentials.parse(js(raw))
      assert.isTrue(Result.isFailure(result), label)
      if (Result.isFailure(result)) {
        assert.strictEqual(result.failure._tag, "InvalidCredentialsFormat", label)
        assert.include(result.failure.message, expected, label)
        assert.include(result.failure.message, "32 hexadecimal characters", label)
      }
    }
  })

  for (const [name, build] of builders) {
    it.effect(name, () =>
      Effect.gen(function*() {
        for (const [label, raw, expected] of badCredentials) {
          const exit = yield* Effect.exit(Authentication.validateKey().pipe(Effect.provide(build(raw))))
          assert.isTrue(Exit.isFailure(exit), `${name}(${label})`)
          const error = typedFailure(exit)
          assert.isDefined(error, `${name}(${label}) is a typed failure`)
          assert.strictEqual(error?._tag, "InvalidCredentialsFormat", `${name}(${label})`)
          assert.include(error?.message, expected, `${name}(${label})`)
        }
        assert.lengthOf(yield* requests, 0)
      }).pipe(Effect.provide(TmdbSimulator.layer())))
  }
})
