/**
 * TmdbSession: each layer (a value, a v3 login, a v4 login, the SessionStore, a browser login), `Account.details()`
 * reading it, `accountId`, the store that holds nothing or a guest session, the sessions guide's
 * favourite example against the simulator, and the session id never appearing in any rendering of
 * the service or of an error that carries it.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import {
  Cause,
  Context,
  Data,
  DateTime,
  Deferred,
  Effect,
  Exit,
  Layer,
  Logger,
  Option,
  Redacted,
  References
} from "effect"
import { FetchHttpClient, HttpClient, HttpClientResponse } from "effect/http"
import { KeyValueStore } from "effect/persistence"
import { readFileSync } from "node:fs"
import { inspect } from "node:util"
import type { TmdbCredentials } from "tmdb-effect"
import { Account, Authentication, AuthV4, SessionStore, type TmdbError, TmdbSession } from "tmdb-effect"
import { BrowserLogin } from "tmdb-effect/node"
import { TmdbSimulator } from "tmdb-effect/testing"
import { setFavorite } from "../examples/favorite.js"
import { logRenderings, makeCollector, renderings, safeJson } from "./utils/collector.js"

const env = Layer.mergeAll(TmdbSimulator.layer(), TmdbSimulator.credentials)
const simulator = TmdbSimulator.TmdbSimulator
const { defaultAccount } = TmdbSimulator
const passwordLogin = Authentication.loginWithPassword(defaultAccount)

const requestsTo = (method: string, path: string) =>
  Effect.map(
    Effect.flatMap(simulator, (sim) => sim.requests),
    (requests) => requests.filter((request) => request.method === method && request.path === path).length
  )

/** A v4 request token approved by the default account, as the user would in the browser. */
const approvedV4Token = Effect.gen(function*() {
  const token = yield* AuthV4.createRequestToken()
  yield* (yield* simulator).approve(token.request_token)
  return token.request_token
})

const storeWith = (login: Omit<ConstructorParameters<typeof SessionStore.Login>[0], "created_at">) =>
  Effect.gen(function*() {
    const store = yield* SessionStore.SessionStore
    yield* store.save(new SessionStore.Login({ ...login, created_at: yield* DateTime.now }))
  })

// Compile-time: the no-argument form needs TmdbSession; the explicit form's type is unchanged.
export const explicitForm: Effect.Effect<
  Account.AccountDetails,
  TmdbError.CommonError | TmdbError.InvalidInput,
  TmdbCredentials.TmdbCredentials | HttpClient.HttpClient
> = Account.details({ session_id: "x" })
export const sessionForm: Effect.Effect<
  Account.AccountDetails,
  TmdbError.CommonError | TmdbError.InvalidInput,
  TmdbSession.TmdbSession | TmdbCredentials.TmdbCredentials | HttpClient.HttpClient
> = Account.details()
// @ts-expect-error without an argument, details reads TmdbSession: it is a requirement
export const withoutSession: Effect.Effect<unknown, unknown, TmdbCredentials.TmdbCredentials | HttpClient.HttpClient> =
  Account.details()

// Compile-time: a login that may be a SessionStore.Login (alone or in a union) may fail as one
// (a guest session, a v4 token's conversion) and needs what the conversion needs; a v3 one doesn't.
const savedOrCreated: Effect.Effect<SessionStore.Login | { readonly session_id: Redacted.Redacted<string> }> = Effect
  .die(new Error("only its type is used"))
export const fromEither: Layer.Layer<
  TmdbSession.TmdbSession,
  TmdbSession.NoStoredSession | TmdbError.CommonError | TmdbError.InvalidInput,
  TmdbCredentials.TmdbCredentials | HttpClient.HttpClient
> = TmdbSession.layerFromLogin(savedOrCreated)
// @ts-expect-error a union with a SessionStore.Login can fail with NoStoredSession
export const fromEitherNever: Layer.Layer<TmdbSession.TmdbSession, never, unknown> = TmdbSession.layerFromLogin(
  savedOrCreated
)
export const fromV3: Layer.Layer<TmdbSession.TmdbSession> = TmdbSession.layerFromLogin(
  Effect.succeed({ session_id: Redacted.make("x") })
)

describe("TmdbSession.layer (from a value)", () => {
  it.effect("Account.details() reads the session; a known account id is used without a request", () =>
    Effect.gen(function*() {
      const { session_id } = yield* passwordLogin
      const program = Effect.gen(function*() {
        const session = yield* TmdbSession.TmdbSession
        assert.isTrue(Redacted.isRedacted(session.session_id))
        assert.deepStrictEqual(session.account_id, Option.some(1000))
        const account = yield* Account.details()
        assert.strictEqual(account.username, defaultAccount.username)
        const before = yield* requestsTo("GET", "/3/account")
        assert.strictEqual(yield* TmdbSession.accountId, 1000)
        assert.strictEqual(yield* requestsTo("GET", "/3/account"), before)
      })
      yield* program.pipe(Effect.provide(TmdbSession.layer({ session_id, account_id: 1000 })))
      // a plain string is accepted and held Redacted
      const fromString = yield* TmdbSession.make({ session_id: Redacted.value(session_id) })
      assert.isTrue(Redacted.isRedacted(fromString.session_id))
      assert.isTrue(Option.isNone(fromString.account_id))
    }).pipe(Effect.provide(env)))

  it.effect("an unusable session id or account id is InvalidInput naming the field, before any request", () =>
    Effect.gen(function*() {
      const cases = [
        [{ session_id: "" }, "session_id"],
        [{ session_id: "a b" }, "session_id"],
        [{ session_id: Redacted.make("x\r\ny") }, "session_id"],
        [{ session_id: "abc", account_id: 0 }, "account_id"],
        [{ session_id: "abc", account_id: 1.5 }, "account_id"],
        [{ session_id: "abc", account_id: Number.NaN }, "account_id"]
      ] as const
      for (const [input, field] of cases) {
        const error = yield* Effect.flip(Account.details().pipe(Effect.provide(TmdbSession.layer(input))))
        assert.strictEqual(error._tag, "InvalidInput")
        assert.strictEqual(error._tag === "InvalidInput" && error.field, field)
      }
      assert.lengthOf(yield* (yield* simulator).requests, 0)
    }).pipe(Effect.provide(env)))

  it.effect("a session TMDB no longer knows fails the call, as the explicit form does", () =>
    Effect.gen(function*() {
      const { session_id } = yield* passwordLogin
      yield* Authentication.deleteSession({ session_id })
      const error = yield* Effect.flip(Account.details().pipe(Effect.provide(TmdbSession.layer({ session_id }))))
      assert.strictEqual(error._tag, "AuthenticationFailed")
    }).pipe(Effect.provide(env)))
})

describe("TmdbSession.layerFromLogin", () => {
  it.effect("a password login: details() and accountId (asked of TMDB: a login does not return it)", () =>
    Effect.gen(function*() {
      const session = yield* TmdbSession.TmdbSession
      assert.isTrue(Option.isNone(session.account_id))
      const live = (yield* (yield* simulator).sessions).map((s) => s.session_id)
      assert.deepStrictEqual(live, [Redacted.value(session.session_id)])
      assert.strictEqual((yield* Account.details()).username, defaultAccount.username)
      const before = yield* requestsTo("GET", "/3/account")
      assert.strictEqual(yield* TmdbSession.accountId, 1000)
      assert.strictEqual(yield* requestsTo("GET", "/3/account"), before + 1)
    }).pipe(Effect.provide(TmdbSession.layerFromLogin(passwordLogin)), Effect.provide(env)))

  it.effect("a session from an approved request token (createSession)", () =>
    Effect.gen(function*() {
      const token = yield* Authentication.createRequestToken()
      yield* (yield* simulator).approve(token.request_token)
      const account = yield* Account.details().pipe(
        Effect.provide(TmdbSession.layerFromLogin(Authentication.createSession(token)))
      )
      assert.strictEqual(account.id, 1000)
    }).pipe(Effect.provide(env)))

  it.effect("a failed login fails the layer with the login's error", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Account.details().pipe(
          Effect.provide(TmdbSession.layerFromLogin(
            Authentication.loginWithPassword({ username: defaultAccount.username, password: "wrong" })
          ))
        )
      )
      assert.strictEqual(error._tag, "InvalidLogin")
    }).pipe(Effect.provide(env)))
})

describe("TmdbSession.layerFromLogin with a SessionStore.Login (what RedirectLogin.complete yields)", () => {
  const savedLogin = (login: Omit<ConstructorParameters<typeof SessionStore.Login>[0], "created_at">) =>
    Effect.map(DateTime.now, (created_at) => new SessionStore.Login({ ...login, created_at }))

  it.effect("a user session is used as it is, with its v3 account id (no request for it)", () =>
    Effect.gen(function*() {
      const { session_id } = yield* passwordLogin
      const login = savedLogin({ kind: "session", session_id, account_id: 1000 })
      const program = Effect.gen(function*() {
        const session = yield* TmdbSession.TmdbSession
        assert.strictEqual(Redacted.value(session.session_id), Redacted.value(session_id))
        assert.strictEqual(yield* TmdbSession.accountId, 1000)
        return yield* Account.details()
      })
      assert.strictEqual((yield* program.pipe(Effect.provide(TmdbSession.layerFromLogin(login)))).id, 1000)
      assert.strictEqual(yield* requestsTo("GET", "/3/account"), 1) // details() only
    }).pipe(Effect.provide(env)))

  it.effect("a v4 access token is converted to a v3 session, never used as one; the token is kept", () =>
    Effect.gen(function*() {
      const access_token = yield* (yield* simulator).grantAccessToken(defaultAccount.username)
      // a plain object of the class's shape counts too: the class is structural
      const plain: SessionStore.Login = {
        kind: "v4AccessToken",
        session_id: Redacted.make(access_token),
        account_id: "0000000003e8",
        created_at: yield* DateTime.now
      }
      for (const login of [savedLogin(plain), Effect.succeed(plain)]) {
        const session = yield* TmdbSession.TmdbSession.pipe(Effect.provide(TmdbSession.layerFromLogin(login)))
        assert.notStrictEqual(Redacted.value(session.session_id), access_token)
        assert.isTrue(Option.isNone(session.account_id)) // v4's account id is not v3's
        assert.strictEqual((yield* Account.details({ session_id: session.session_id })).id, 1000)
      }
      assert.strictEqual(yield* requestsTo("POST", "/3/authentication/session/convert/4"), 2)
      assert.strictEqual(yield* requestsTo("DELETE", "/4/auth/access_token"), 0)
    }).pipe(Effect.provide(env)))

  it.effect("a guest session is NoStoredSession (found: guest session), before any request", () =>
    Effect.gen(function*() {
      const login = savedLogin({ kind: "guest", session_id: Redacted.make("a".repeat(32)) })
      const error = yield* Effect.flip(Account.details().pipe(Effect.provide(TmdbSession.layerFromLogin(login))))
      assert.strictEqual(error._tag === "NoStoredSession" && error.found, "guest session")
      assert.lengthOf(yield* (yield* simulator).requests, 0)
    }).pipe(Effect.provide(env)))
})

describe("TmdbSession.layerFromV4Login", () => {
  it.effect("an access token (createAccessToken) is converted to a v3 session", () =>
    Effect.gen(function*() {
      const request_token = yield* approvedV4Token
      const program = Effect.gen(function*() {
        const session = yield* TmdbSession.TmdbSession
        assert.isTrue(Option.isNone(session.account_id)) // v4's account_id is not v3's
        return yield* Account.details()
      })
      const account = yield* program.pipe(
        Effect.provide(TmdbSession.layerFromV4Login(AuthV4.createAccessToken({ request_token })))
      )
      assert.strictEqual(account.username, defaultAccount.username)
      assert.strictEqual(yield* requestsTo("POST", "/3/authentication/session/convert/4"), 1)
    }).pipe(Effect.provide(env)))

  it.effect("a login that already holds its session (loginToSession) is not converted again", () =>
    Effect.gen(function*() {
      const request_token = yield* approvedV4Token
      const session_id = yield* Effect.map(TmdbSession.TmdbSession, (session) => session.session_id).pipe(
        Effect.provide(TmdbSession.layerFromV4Login(AuthV4.loginToSession({ request_token })))
      )
      assert.strictEqual(yield* requestsTo("POST", "/3/authentication/session/convert/4"), 1)
      assert.strictEqual((yield* Account.details({ session_id })).id, 1000)
    }).pipe(Effect.provide(env)))

  it.effect("a failed conversion deletes the access token the login just created", () =>
    Effect.gen(function*() {
      const sim = yield* simulator
      const request_token = yield* approvedV4Token
      yield* sim.inject(
        TmdbSimulator.Fault.Status({
          status: 401,
          body: JSON.stringify({ success: false, status_code: 3, status_message: "Authentication failed." })
        }),
        { path: "/3/authentication/session/convert/4" }
      )
      let created: Redacted.Redacted<string> | undefined
      const login = Effect.tap(AuthV4.createAccessToken({ request_token }), (token) =>
        Effect.sync(() => {
          created = token.access_token
        }))
      const error = yield* Effect.flip(
        Account.details().pipe(Effect.provide(TmdbSession.layerFromV4Login(login)))
      )
      assert.strictEqual(error._tag, "AuthenticationFailed")
      assert.strictEqual(yield* requestsTo("DELETE", "/4/auth/access_token"), 1)
      const revoked = yield* Effect.flip(Authentication.createSessionFromV4Token({ access_token: created! }))
      assert.strictEqual(revoked._tag, "AuthenticationFailed") // deleted
    }).pipe(Effect.provide(env)))
})

describe("TmdbSession.layerFromStore", () => {
  const storeEnv = Layer.mergeAll(env, SessionStore.layerMemory)

  it.effect("an empty store is NoStoredSession (found: nothing), before any request", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Account.details().pipe(Effect.provide(TmdbSession.layerFromStore)))
      assert.strictEqual(error._tag, "NoStoredSession")
      assert.strictEqual(error._tag === "NoStoredSession" && error.found, "nothing")
      assert.include(error.message, "No TMDB login is stored")
      assert.lengthOf(yield* (yield* simulator).requests, 0)
    }).pipe(Effect.provide(storeEnv)))

  it.effect("a stored guest session is refused (found: guest session): account calls need a user", () =>
    Effect.gen(function*() {
      const guest = yield* Authentication.createGuestSession()
      yield* storeWith({ kind: "guest", session_id: guest.guest_session_id, expires_at: guest.expires_at })
      const error = yield* Effect.flip(Account.details().pipe(Effect.provide(TmdbSession.layerFromStore)))
      assert.strictEqual(error._tag === "NoStoredSession" && error.found, "guest session")
      assert.include(error.message, "guest session")
      assert.notInclude(error.message, Redacted.value(guest.guest_session_id))
    }).pipe(Effect.provide(storeEnv)))

  it.effect("a stored user session is used with its v3 account id", () =>
    Effect.gen(function*() {
      const { session_id } = yield* passwordLogin
      yield* storeWith({ kind: "session", session_id, account_id: 1000, username: defaultAccount.username })
      const program = Effect.gen(function*() {
        const session = yield* TmdbSession.TmdbSession
        assert.strictEqual(Redacted.value(session.session_id), Redacted.value(session_id))
        assert.deepStrictEqual(session.account_id, Option.some(1000))
        return yield* Account.details()
      })
      assert.strictEqual((yield* program.pipe(Effect.provide(TmdbSession.layerFromStore))).id, 1000)
    }).pipe(Effect.provide(storeEnv)))

  it.effect("a stored v4 access token is converted to a v3 session, and stays stored", () =>
    Effect.gen(function*() {
      const access_token = yield* (yield* simulator).grantAccessToken(defaultAccount.username)
      yield* storeWith({ kind: "v4AccessToken", session_id: Redacted.make(access_token), account_id: "0000000003e8" })
      const program = Effect.gen(function*() {
        const session = yield* TmdbSession.TmdbSession
        assert.notStrictEqual(Redacted.value(session.session_id), access_token)
        assert.isTrue(Option.isNone(session.account_id)) // a string account id is v4's
        return yield* Account.details()
      })
      assert.strictEqual((yield* program.pipe(Effect.provide(TmdbSession.layerFromStore))).id, 1000)
      assert.strictEqual(yield* requestsTo("POST", "/3/authentication/session/convert/4"), 1)
      const stored = yield* (yield* SessionStore.SessionStore).load
      assert.strictEqual(Option.map(stored, (login) => login.kind).pipe(Option.getOrNull), "v4AccessToken")
    }).pipe(Effect.provide(storeEnv)))

  it.effect("a store that does not decode fails with the store's own error", () =>
    Effect.gen(function*() {
      const kv = yield* KeyValueStore.KeyValueStore
      yield* kv.set(SessionStore.defaultKey, "{not json")
      const error = yield* Effect.flip(Account.details().pipe(Effect.provide(TmdbSession.layerFromStore)))
      assert.strictEqual(error._tag, "CorruptedSession")
    }).pipe(
      Effect.provide(Layer.provideMerge(SessionStore.layer(), KeyValueStore.layerMemory)),
      Effect.provide(env)
    ))
})

// ---------------------------------------------------------------------------------------------
// The sessions guide's example (docs/sessions.md): a favourite set with the session in context

interface FavoriteSeen {
  readonly account_id: string
  readonly query: Readonly<Record<string, string>>
  readonly authorization: string | undefined
  readonly body: unknown
}

/**
 * The simulator, plus TMDB's favourite route (which it does not serve): a live session id in the
 * query is answered `201 { status_code: 1 }`, anything else TMDB's 401 (code 3); every other
 * request goes to the simulator.
 */
const withFavoriteRoute = (seen: Array<FavoriteSeen>) =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.gen(function*() {
      const tmdb = yield* HttpClient.HttpClient
      const sim = yield* simulator
      return HttpClient.make((request, url) => {
        const route = /^\/3\/account\/([^/]+)\/favorite$/.exec(url.pathname)
        if (request.method !== "POST" || route === null) return tmdb.execute(request)
        return Effect.gen(function*() {
          const body = request.body._tag === "Uint8Array"
            ? JSON.parse(new TextDecoder().decode(request.body.body))
            : null
          seen.push({
            account_id: route[1]!,
            query: Object.fromEntries(url.searchParams),
            authorization: request.headers["authorization"],
            body
          })
          const live = (yield* sim.sessions).some((s) => s.session_id === url.searchParams.get("session_id"))
          const answer = live
            ? { status: 201, body: { success: true, status_code: 1, status_message: "Success." } }
            : { status: 401, body: { success: false, status_code: 3, status_message: "Authentication failed." } }
          return HttpClientResponse.fromWeb(
            request,
            new Response(JSON.stringify(answer.body), {
              status: answer.status,
              headers: { "content-type": "application/json" }
            })
          )
        })
      })
    })
  ).pipe(Layer.provideMerge(TmdbSimulator.layer()))

/** The sessions guide, whose "After login" section shows the example for each edition. */
const guide = readFileSync(new URL("../../../docs/sessions.md", import.meta.url), "utf8")

describe("the sessions guide's favourite example", () => {
  it("is examples/favorite.ts as it is", () => {
    const example = readFileSync(new URL("../examples/favorite.ts", import.meta.url), "utf8")
    const start = guide.indexOf("## After login: TmdbSession")
    assert.isAtLeast(start, 0, "docs/sessions.md has the section")
    // the section's first TypeScript block for 2.x, named favorite.ts (the next block imports it)
    const block = /```ts edition=2\.x file=favorite\.ts\n([\s\S]*?)```/.exec(guide.slice(start))
    const first = /```ts[^\n]*edition=2\.x[^\n]*\n/.exec(guide.slice(start))
    assert.strictEqual(block?.index, first?.index, "the section's first 2.x block is the one named favorite.ts")
    assert.isAbove(block?.[1]?.length ?? 0, 500)
    assert.isTrue(
      example.endsWith(block?.[1] ?? "<none>"),
      "the guide's first 2.x block in the section is the file from its imports on"
    )
  })

  const favorite = { media_type: "movie", media_id: 550, favorite: true } as const

  it.effect("needs TmdbSession | TmdbCredentials | HttpClient, and sends the session id and body", () =>
    Effect.gen(function*() {
      const seen: Array<FavoriteSeen> = []
      const program: Effect.Effect<
        { readonly status_code: number },
        unknown,
        TmdbSession.TmdbSession | TmdbCredentials.TmdbCredentials | HttpClient.HttpClient
      > = setFavorite(favorite)
      const answer = yield* program.pipe(
        Effect.provide(TmdbSession.layerFromLogin(passwordLogin)),
        Effect.provide(TmdbSimulator.credentials),
        Effect.provide(withFavoriteRoute(seen))
      )
      assert.strictEqual(answer.status_code, 1)
      assert.lengthOf(seen, 1)
      const [request] = seen
      assert.strictEqual(request!.account_id, "1000") // asked of TMDB: a login does not say
      assert.match(request!.query["session_id"] ?? "", /^[0-9a-f]{40}$/)
      assert.deepStrictEqual(request!.body, favorite)
      assert.strictEqual(request!.authorization, `Bearer ${TmdbSimulator.bearerToken}`)
    }))

  it.effect("with an api_key the key goes in the query; a session TMDB no longer knows is FavoriteFailed", () =>
    Effect.gen(function*() {
      const seen: Array<FavoriteSeen> = []
      const run = Effect.gen(function*() {
        const { session_id } = yield* passwordLogin
        const added = yield* setFavorite({ ...favorite, favorite: false }).pipe(
          Effect.provide(TmdbSession.layer({ session_id, account_id: 1000 }))
        )
        assert.strictEqual(added.status_code, 1)
        yield* Authentication.deleteSession({ session_id })
        return yield* Effect.flip(
          setFavorite(favorite).pipe(Effect.provide(TmdbSession.layer({ session_id, account_id: 1000 })))
        )
      })
      const error = yield* run.pipe(
        Effect.provide(TmdbSimulator.apiKeyCredentials),
        Effect.provide(withFavoriteRoute(seen))
      )
      assert.strictEqual(error._tag, "FavoriteFailed")
      // Effect 4's name for the reason (1.x: "StatusCode")
      assert.strictEqual(error._tag === "FavoriteFailed" && error.reason, "StatusCodeError")
      assert.lengthOf(seen, 2)
      assert.strictEqual(seen[0]!.query["api_key"], TmdbSimulator.apiKey)
      assert.isUndefined(seen[0]!.authorization)
      assert.deepStrictEqual(seen[0]!.body, { ...favorite, favorite: false })
      assert.notInclude(inspect(error, { depth: 10 }), seen[0]!.query["session_id"]!)
    }))
})

// ---------------------------------------------------------------------------------------------
// The session id never shows

/** A user's error that carries the service, as code that fails "with the session" would. */
class AccountCallFailed extends Data.TaggedError("AccountCallFailed")<{ readonly session: TmdbSession.Service }> {}

/** Every way the service reaches text: direct renderings, log lines and annotations, failures. */
const render = (service: TmdbSession.Service) =>
  Effect.gen(function*() {
    const texts: Array<string> = [
      ...renderings(service),
      ...renderings(Context.make(TmdbSession.TmdbSession, service)),
      `${service.session_id}`
    ]
    const logger = Logger.make((options) => {
      texts.push(...logRenderings(options))
    })
    const failures: ReadonlyArray<Effect.Effect<never, unknown>> = [
      Effect.fail(new AccountCallFailed({ session: service })),
      Effect.fail(service),
      Effect.die(service)
    ]
    yield* Effect.gen(function*() {
      yield* Effect.log(service)
      yield* Effect.log("session", service).pipe(Effect.annotateLogs("session", service))
      for (const failure of failures) {
        const exit = yield* Effect.exit(failure)
        if (Exit.isFailure(exit)) {
          texts.push(Cause.pretty(exit.cause), ...renderings(exit.cause))
          yield* Effect.logError("account call failed", exit.cause)
        }
      }
      const error = new AccountCallFailed({ session: service })
      texts.push(...renderings(error), error.message, error.stack ?? "", error.toString())
    }).pipe(Effect.provideService(References.MinimumLogLevel, "All"), Effect.provide(Logger.layer([logger])))
    return texts
  })

const assertHidden = (texts: ReadonlyArray<string>, secret: string) => {
  const needles = [secret, encodeURIComponent(secret), secret.slice(4, 16)]
  for (const text of texts) {
    for (const needle of needles) assert.notInclude(text, needle, `the session id leaked into:\n${text.slice(0, 400)}`)
  }
}

describe("the session id never shows", () => {
  const MARKED = "S3CRET-session-1a2b3c4d5e6f7a8b9c0d"

  it.effect("the service from a value: String, JSON, inspect, logs, annotations, Cause.pretty", () =>
    Effect.gen(function*() {
      const service = yield* TmdbSession.make({ session_id: MARKED, account_id: 1000 })
      const texts = yield* render(service)
      assert.isAbove(texts.length, 20)
      assertHidden(texts, MARKED)
      // what the renderings do show
      assert.include(safeJson(service), "<redacted>")
      assert.include(inspect(service), "1000")
    }))

  it.effect("the service from each login path and from the store", () =>
    Effect.gen(function*() {
      const sim = yield* simulator
      const sessionOf = Effect.map(TmdbSession.TmdbSession, (service) => service)
      const fromLogin = yield* sessionOf.pipe(Effect.provide(TmdbSession.layerFromLogin(passwordLogin)))
      const request_token = yield* approvedV4Token
      const fromV4 = yield* sessionOf.pipe(
        Effect.provide(TmdbSession.layerFromV4Login(AuthV4.createAccessToken({ request_token })))
      )
      const access_token = yield* sim.grantAccessToken(defaultAccount.username)
      yield* storeWith({ kind: "v4AccessToken", session_id: Redacted.make(access_token) })
      const fromStore = yield* sessionOf.pipe(Effect.provide(TmdbSession.layerFromStore))
      for (const service of [fromLogin, fromV4, fromStore]) {
        assertHidden(yield* render(service), Redacted.value(service.session_id))
      }
      // none of them could render the access token either
      assertHidden([...(yield* render(fromStore))], access_token)
    }).pipe(Effect.provide(Layer.mergeAll(env, SessionStore.layerMemory))))

  it.effect("spans: the library's, and a user's span carrying the service as an attribute", () =>
    Effect.gen(function*() {
      const c = makeCollector([], [])
      const program = Effect.gen(function*() {
        const service = yield* TmdbSession.TmdbSession
        c.learn(service.session_id)
        yield* c.observe("details()", Account.details())
        yield* c.observe("accountId", TmdbSession.accountId)
        yield* c.observe(
          "a user's span",
          Effect.annotateCurrentSpan("session", service).pipe(
            Effect.withSpan("my.favourites", { attributes: { session: service, session_id: service.session_id } })
          )
        )
        yield* c.observe("a failure carrying it", Effect.fail(new AccountCallFailed({ session: service })))
      })
      yield* c.instrument(program.pipe(Effect.provide(TmdbSession.layerFromLogin(passwordLogin))))
      const names = c.spans.map(({ span }) => span.name)
      for (const name of ["tmdb.Authentication.loginWithPassword", "tmdb.Account.details", "my.favourites"]) {
        assert.include(names, name)
      }
      assert.strictEqual(c.learned.size, 1)
      assert.isAbove(c.assertNoLeak(), 20)
    }).pipe(Effect.provide(env)))

  it.effect("NoStoredSession for a stored guest session does not show the guest session id", () =>
    Effect.gen(function*() {
      const guest = yield* Authentication.createGuestSession()
      yield* storeWith({ kind: "guest", session_id: guest.guest_session_id, expires_at: guest.expires_at })
      const exit = yield* Effect.exit(Account.details().pipe(Effect.provide(TmdbSession.layerFromStore)))
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) {
        assertHidden(
          [Cause.pretty(exit.cause), ...renderings(exit.cause)],
          Redacted.value(guest.guest_session_id)
        )
      }
    }).pipe(Effect.provide(Layer.mergeAll(env, SessionStore.layerMemory))))
})

// Last: layer() swaps the methods of the shared `it` for its own. A browser login needs the approval
// page and the callback server on real sockets (live clock).
layer(Layer.mergeAll(TmdbSimulator.layerServer(), TmdbSimulator.credentials, FetchHttpClient.layer), {
  excludeTestServices: true
})("TmdbSession.layerFromLogin with a browser login", (it) => {
  it.effect("BrowserLogin.login, approved in a scripted browser", () =>
    Effect.gen(function*() {
      yield* (yield* simulator).scriptApproval({ decision: "approve" })
      const visited = yield* Deferred.make<number>()
      // the "browser": fetches the approval page, which redirects back to the callback server
      const openUrl = (url: string) =>
        Effect.forkDetach(
          Effect.flatMap(Effect.promise(() => fetch(url)), (response) => Deferred.succeed(visited, response.status))
        ).pipe(Effect.asVoid)
      const account = yield* Account.details().pipe(
        Effect.provide(TmdbSession.layerFromLogin(BrowserLogin.login({ openUrl })))
      )
      assert.strictEqual(account.username, defaultAccount.username)
      assert.strictEqual(yield* Deferred.await(visited), 200)
    }))

  it.effect("BrowserLogin.loginV4 through layerFromV4Login: the access token converted to a v3 session", () =>
    Effect.gen(function*() {
      yield* (yield* simulator).scriptApproval({ decision: "approve" })
      const openUrl = (url: string) => Effect.forkDetach(Effect.promise(() => fetch(url))).pipe(Effect.asVoid)
      const account = yield* Account.details().pipe(
        Effect.provide(TmdbSession.layerFromV4Login(BrowserLogin.loginV4({ openUrl })))
      )
      assert.strictEqual(account.username, defaultAccount.username)
      assert.strictEqual(yield* requestsTo("POST", "/3/authentication/session/convert/4"), 1)
    }))
})
