/**
 * Hostile servers, as an attacker would run them: own servers on 127.0.0.1 answering every
 * endpoint, over the clients (FetchHttpClient with a Bearer token, @effect/platform-node's undici
 * client and NodeTmdbHttpClient with an api_key), with the request echoed back in every spelling in every kind of answer, redirects to
 * another origin, huge and endless bodies. Every outcome is a typed failure (no defect), every
 * rendering of it (String, JSON, inspect, Cause.pretty, logs, spans) is searched for the secrets
 * (in their usual spellings, and read back as a person could), and the other origin never sees
 * a request.
 *
 * Out of scope: an echo in an encoding a person can't read at sight (base64, reversed, ROT13,
 * look-alike letters from other scripts), and secrets shorter than the 8-character run that
 * are split across lines.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import type { HttpClient } from "effect/http"
import type { ServerResponse } from "node:http"
import type { Socket } from "node:net"
import { gzipSync } from "node:zlib"
import { Account, Authentication, AuthV4, TmdbConfig, TmdbCredentials, TmdbError } from "tmdb-effect"
import { RedirectLogin } from "tmdb-effect/browser"
import { BrowserLogin, NodeTmdbHttpClient } from "tmdb-effect/node"
import { canonical, send, shapes, spellings } from "../../../fixtures/echoes.js"
import { assertNoDefects, type Collector, failureTag, makeCollector } from "./utils/collector.js"
import { serve, serveRaw } from "./utils/hostileServer.js"
import type { Received } from "./utils/hostileServer.js"
import { appToken } from "./utils/jwt.js"

// ---------------------------------------------------------------------------------------------
// The secrets

const KEY = "c0ffee5ec2e7a91dba5eba11deadf00d"
const BEARER = appToken({ aud: KEY, sub: "hostile-suite-subject" }, "H0st1leS1gn4tur3Zq")
const PAYLOAD = BEARER.split(".")[1]!
const PASSWORD = `pä55 w0rd&=+/?"QZX7V3"<'>`
const SESSION = "sess10n-QZX7V3+/=?&q"
const ACCESS = "acce55.t0ken-QZX7V3"
const USERNAME = "hostile-suite-user"
const TOKEN = "f".repeat(40)

/** Alphanumeric fragments of every secret: searched for in outputs read back as a person could. */
const MARKERS = [
  "qzx7v3",
  "h0st1les1gn4tur3",
  "5ec2e7a91dba5e",
  "acce55t0ken",
  "sess10n",
  "p55w0rd",
  PAYLOAD.slice(8, 24)
]
const collector = () => makeCollector([KEY, BEARER, PASSWORD, SESSION, ACCESS], MARKERS)

const assertNothingReadable = (c: Collector) => {
  for (const text of [...c.texts, ...c.logs, ...c.spanTexts()]) {
    const readable = canonical(text)
    for (const marker of MARKERS) {
      if (readable.includes(marker.toLowerCase())) {
        assert.fail(`a secret (${marker.slice(0, 4)}…) can be read in:\n${text.slice(0, 600)}`)
      }
    }
  }
}

/** What a server that quotes its request shows: request line, credential, body, the token's payload. */
const echoOf = (request: Received): string => {
  const auth = request.headers.authorization ?? ""
  const payload = auth.split(".")[1]
  const claims = payload === undefined ? "" : Buffer.from(payload, "base64url").toString("utf8")
  return `${request.method} ${request.url}\nAuthorization: ${auth}\n${request.body}\nclaims: ${claims}`
}

type Answer = (request: Received, response: ServerResponse) => void

// ---------------------------------------------------------------------------------------------
// Every endpoint

interface Probe {
  readonly label: string
  readonly run: Effect.Effect<unknown, unknown, Authentication.Requirements>
  /** For a flow, the fault hits its step that sends the secret, not the first request. */
  readonly faultOn?: (request: Received) => boolean
}

const endpoints: ReadonlyArray<Probe> = [
  { label: "validateKey", run: Authentication.validateKey() },
  { label: "createGuestSession", run: Authentication.createGuestSession() },
  { label: "createRequestToken", run: Authentication.createRequestToken() },
  {
    label: "createSessionWithLogin",
    run: Authentication.createSessionWithLogin({ username: USERNAME, password: PASSWORD, request_token: TOKEN })
  },
  { label: "createSession", run: Authentication.createSession({ request_token: TOKEN }) },
  { label: "createSessionFromV4Token", run: Authentication.createSessionFromV4Token({ access_token: ACCESS }) },
  { label: "deleteSession", run: Authentication.deleteSession({ session_id: Redacted.make(SESSION) }) },
  { label: "Account.details", run: Account.details({ session_id: SESSION }) },
  {
    label: "loginWithPassword",
    run: Authentication.loginWithPassword({ username: USERNAME, password: PASSWORD }),
    faultOn: (request) => request.method !== "GET"
  },
  { label: "AuthV4.createRequestToken", run: AuthV4.createRequestToken({ redirect_to: "http://127.0.0.1:1/cb" }) },
  { label: "AuthV4.createAccessToken", run: AuthV4.createAccessToken({ request_token: TOKEN }) },
  { label: "AuthV4.deleteAccessToken", run: AuthV4.deleteAccessToken({ access_token: ACCESS }) },
  {
    label: "withAccessToken(Account.details)",
    run: Account.details({ session_id: SESSION }).pipe(AuthV4.withAccessToken(ACCESS))
  }
]

const shapeNames = Object.keys(shapes)
const spellingNames = Object.keys(spellings)

/** The endpoint that gets every spelling in every shape: it sends the password and the credential. */
const everyPair = new Set(["createSessionWithLogin"])

/**
 * The echoes an endpoint gets: every spelling (in a shape that changes along) and every shape (in
 * a spelling that changes along); for {@link everyPair}, all pairs.
 */
const echoPairs = (endpoint: Probe): ReadonlyArray<readonly [string, string]> => {
  if (everyPair.has(endpoint.label)) {
    return shapeNames.flatMap((shape) => spellingNames.map((spelling) => [shape, spelling] as const))
  }
  const offset = endpoints.indexOf(endpoint)
  return [
    ...spellingNames.map((spelling, i) => [shapeNames[(i + offset) % shapeNames.length]!, spelling] as const),
    ...shapeNames.map((shape, i) => [shape, spellingNames[(i + offset * 3) % spellingNames.length]!] as const)
  ]
}

/** Echo probes per client: CONTRIBUTING.md's hostile-server table quotes these counts. */
const echoProbes = endpoints.reduce((sum, endpoint) => sum + echoPairs(endpoint).length, 0)

const tokenAnswer = send(
  200,
  JSON.stringify({ success: true, request_token: TOKEN, expires_at: "2030-01-01 00:00:00 UTC" })
)

/** 16 KiB chunks, each after the last was handed to the socket and a turn of the event loop. */
const chunk = Buffer.alloc(16 * 1024, "x")
const endless = (declared: number | undefined): Answer => (_, response) => {
  response.writeHead(200, {
    "content-type": "application/json",
    ...(declared === undefined ? {} : { "content-length": declared })
  })
  response.write("{\"success\":true,\"request_token\":\"")
  const next = () => {
    if (response.destroyed || response.writableEnded) return
    response.write(chunk, () => setImmediate(next))
  }
  next()
}

/** The faults that are not echoes: redirects (to another origin and to the same one), huge bodies. */
const faults = (otherOrigin: string): Record<string, Answer> => ({
  ...Object.fromEntries(
    [301, 302, 303, 307, 308].map((status) => [
      `redirect ${status}`,
      (request: Received, response: ServerResponse) => {
        response.writeHead(status, { location: `${otherOrigin}${request.url}`, "content-length": 0 })
        response.end()
      }
    ])
  ),
  "redirect to the same origin": (request, response) => {
    response.writeHead(302, { location: `${request.url}&again=1`, "content-length": 0 })
    response.end()
  },
  "600 MB declared": endless(600 * 1024 * 1024),
  "endless body": endless(undefined)
})

interface Matrix {
  readonly probes: number
  readonly otherOriginRequests: number
}

/**
 * Runs every probe against a fresh hostile server and another origin that counts what reaches
 * it, with the given client and credentials; checks outcomes and renderings.
 */
const runMatrix = (
  client: Layer.Layer<HttpClient.HttpClient>,
  credentials: Layer.Layer<TmdbCredentials.TmdbCredentials>,
  options: { readonly echoes: boolean; readonly bodies: boolean }
) =>
  Effect.gen(function*() {
    let otherOriginRequests = 0
    const otherOrigin = yield* serve((_, response) => {
      otherOriginRequests++
      send(200, JSON.stringify({ success: true, request_token: "forged-token-from-elsewhere" }))(response)
    })
    let answer: Answer = () => undefined
    let faultOn: (request: Received) => boolean = () => true
    const baseUrl = yield* serve((request, response) =>
      faultOn(request) ? answer(request, response) : tokenAnswer(response)
    )
    const c = collector()
    const expectations: Array<{ readonly label: string; readonly tags: ReadonlyArray<string> }> = []
    let probes = 0
    const probe = (endpoint: Probe, fault: string, answerWith: Answer, tags?: ReadonlyArray<string>) =>
      Effect.suspend(() => {
        answer = answerWith
        faultOn = endpoint.faultOn ?? (() => true)
        probes++
        const label = `${endpoint.label} / ${fault}`
        if (tags !== undefined) expectations.push({ label, tags })
        return c.observe(label, endpoint.run)
      })
    yield* c.instrument(
      Effect.gen(function*() {
        for (const endpoint of endpoints) {
          if (options.echoes) {
            for (const [shape, spelling] of echoPairs(endpoint)) {
              yield* probe(
                endpoint,
                `${shape} / ${spelling}`,
                (request, response) => shapes[shape]!(spellings[spelling]!(echoOf(request)))(response)
              )
            }
          }
          for (const [fault, answerWith] of Object.entries(faults(otherOrigin))) {
            if (!options.bodies && (fault === "endless body" || fault === "600 MB declared")) continue
            yield* probe(endpoint, fault, answerWith, ["UnexpectedResponse", "BearerTokenRequired"])
          }
        }
      }).pipe(
        Effect.provide(TmdbConfig.layer({ baseUrl, webUrl: baseUrl, retry: false, timeout: "60 seconds" })),
        Effect.provide(Layer.merge(client, credentials))
      )
    )
    assertNoDefects(c)
    for (const { label, tags } of expectations) {
      const outcome = c.outcomes.find((o) => o.label === label)
      assert.include(tags, outcome === undefined ? "missing" : failureTag(outcome.exit), label)
    }
    for (const { exit, label } of c.outcomes) {
      if (Exit.isFailure(exit)) {
        Exit.mapError(exit, (error) => assert.isTrue(TmdbError.isTmdbError(error), label))
      }
    }
    c.assertNoLeak()
    assertNothingReadable(c)
    assert.strictEqual(otherOriginRequests, 0, "a request reached another origin")
    return { probes, otherOriginRequests, collector: c } satisfies Matrix & { readonly collector: Collector }
  }).pipe(Effect.scoped)

describe("hostile servers", () => {
  it.live(
    "FetchHttpClient, Bearer token: every endpoint × every echo spelling and shape, redirects, huge bodies",
    () =>
      Effect.gen(function*() {
        const { collector: c, probes } = yield* runMatrix(
          FetchHttpClient.layer,
          TmdbCredentials.bearer(BEARER).pipe(Layer.orDie),
          {
            echoes: true,
            bodies: true
          }
        )
        const tags = new Set(c.outcomes.map(({ exit }) => failureTag(exit)))
        for (const tag of ["InvalidApiKey", "TmdbApiError", "UnexpectedResponse"]) assert.isTrue(tags.has(tag), tag)
        assert.strictEqual(probes, echoProbes + endpoints.length * 8)
        assert.strictEqual(probes, 560)
      }),
    120_000
  )

  it.live(
    "@effect/platform-node's undici client, api_key: every endpoint × every echo spelling and shape, redirects, huge bodies",
    () =>
      Effect.gen(function*() {
        const { probes } = yield* runMatrix(NodeHttpClient.layerUndici, TmdbCredentials.apiKey(KEY).pipe(Layer.orDie), {
          echoes: true,
          bodies: true
        })
        assert.strictEqual(probes, echoProbes + endpoints.length * 8)
        assert.strictEqual(probes, 560)
      }),
    120_000
  )

  it.live(
    "NodeTmdbHttpClient, api_key: every endpoint × every echo spelling and shape, redirects, huge bodies",
    () =>
      Effect.gen(function*() {
        const { probes } = yield* runMatrix(NodeTmdbHttpClient.layer, TmdbCredentials.apiKey(KEY).pipe(Layer.orDie), {
          echoes: true,
          bodies: true
        })
        assert.strictEqual(probes, echoProbes + endpoints.length * 8)
        assert.strictEqual(probes, 560)
      }),
    120_000
  )
})

/** The clients the bounded-answer tests run over. */
const clients = [
  ["FetchHttpClient", FetchHttpClient.layer],
  ["@effect/platform-node's undici client", NodeHttpClient.layerUndici],
  ["NodeTmdbHttpClient", NodeTmdbHttpClient.layer],
  ["@effect/platform-node's node:http client", NodeHttpClient.layerNodeHttp]
] as const

/** `call` with `maxResponseBytes` (1 MiB) and a 60-second timeout, over `client`, against `baseUrl`. */
const boundedCall = (baseUrl: string, client: Layer.Layer<HttpClient.HttpClient>) =>
  Effect.exit(Authentication.createRequestToken()).pipe(
    Effect.provide(TmdbConfig.layer({ baseUrl, retry: false, timeout: "60 seconds" })),
    Effect.provide(Layer.merge(client, TmdbCredentials.apiKey(KEY).pipe(Layer.orDie)))
  )

describe("bounded answers", () => {
  for (const [name, client] of clients) {
    it.live(`${name}: an endless body is aborted past maxResponseBytes, well within a 60-second timeout`, () =>
      Effect.gen(function*() {
        let written = -1
        const closed = yield* Deferred.make<undefined>()
        const baseUrl = yield* serve((request, response) => {
          // bytes handed to the socket (headers included) until the client closed it
          const socket = response.socket!
          response.on("close", () => {
            written = socket.bytesWritten
            Deferred.doneUnsafe(closed, Exit.succeed(undefined))
          })
          endless(undefined)(request, response)
        })
        const error = yield* Effect.flip(boundedCall(baseUrl, client).pipe(Effect.flatten))
        assert.strictEqual(error._tag, "UnexpectedResponse")
        if (error._tag === "UnexpectedResponse") assert.include(error.reason, "1048576 bytes")
        yield* Deferred.await(closed)
        assert.isAbove(written, 1024 * 1024)
        assert.isAtMost(written, 1024 * 1024 + 64 * 1024)
      }).pipe(Effect.scoped))
  }

  /**
   * Framing that lies: a `Content-Length` within the limit (so the answer is read whole, not
   * streamed) on a body that never ends, plain or chunked. HTTP framing ends the answer at the
   * declared length, or refuses the two headers together; either way the client closes the
   * connection instead of reading on.
   */
  const lies: ReadonlyArray<readonly [string, string, (socket: Socket) => void]> = [
    ["declares 64 bytes, then sends an endless body", "content-length: 64\r\n", (socket) => endlessRaw(socket, false)],
    [
      "declares 1 MiB (the limit), then sends an endless body",
      `content-length: ${1024 * 1024}\r\n`,
      (socket) => endlessRaw(socket, false)
    ],
    [
      "declares 64 bytes and is chunked, endlessly",
      "content-length: 64\r\ntransfer-encoding: chunked\r\n",
      (socket) => endlessRaw(socket, true)
    ]
  ]
  for (const [name, client] of clients) {
    for (const [lie, headers, body] of lies) {
      it.live(`${name}: a server that ${lie} costs at most maxResponseBytes + 64 KiB`, () =>
        Effect.gen(function*() {
          let written = -1
          const closed = yield* Deferred.make<undefined>()
          const baseUrl = yield* serveRaw((socket) => {
            socket.on("close", () => {
              written = socket.bytesWritten
              Deferred.doneUnsafe(closed, Exit.succeed(undefined))
            })
            socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n${headers}\r\n`)
            body(socket)
          })
          const exit = yield* boundedCall(baseUrl, client)
          assert.include(["UnexpectedResponse", "TransportError"], failureTag(exit), lie)
          yield* Deferred.await(closed).pipe(
            Effect.timeoutOrElse({
              duration: "10 seconds",
              orElse: () => Effect.fail("the client kept the connection open")
            })
          )
          assert.isAbove(written, 0)
          assert.isAtMost(written, 1024 * 1024 + 64 * 1024)
        }).pipe(Effect.scoped))
    }
  }
})

/** An endless body written raw: 16 KiB at a time (as chunks when `chunked`), until the socket closes. */
const endlessRaw = (socket: Socket, chunked: boolean) => {
  const piece = chunked
    ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")])
    : chunk
  socket.write(chunked ? "21\r\n{\"success\":true,\"request_token\":\"\r\n" : "{\"success\":true,\"request_token\":\"")
  const next = () => {
    if (socket.destroyed || !socket.writable) return
    socket.write(piece, (error) => error === undefined || error === null ? setImmediate(next) : undefined)
  }
  next()
}

describe("compressed answers", () => {
  // 1,000 gzip members of 1 MiB of zeros each: about 1 MB on the wire, 1000 MiB once inflated
  const member = gzipSync(Buffer.alloc(1024 * 1024))
  const bomb = Buffer.concat(Array.from({ length: 1000 }, () => member))

  it.live(
    "FetchHttpClient: a gzip body that declares a length within the limit is still read as it streams",
    () =>
      Effect.gen(function*() {
        const baseUrl = yield* serve((_, response) => {
          response.writeHead(200, {
            "content-type": "application/json",
            "content-encoding": "gzip",
            "content-length": bomb.length
          })
          response.end(bomb)
        })
        // the most memory held in ArrayBuffers while the call runs, sampled every few milliseconds
        const before = process.memoryUsage().arrayBuffers
        let peak = before
        const sampler = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().arrayBuffers)
        }, 2)
        const error = yield* Effect.flip(Authentication.createRequestToken()).pipe(
          Effect.provide(TmdbConfig.layer({ baseUrl, retry: false, maxResponseBytes: 2 * bomb.length })),
          Effect.provide(Layer.merge(FetchHttpClient.layer, TmdbCredentials.bearer(BEARER))),
          Effect.ensuring(Effect.sync(() => clearInterval(sampler)))
        )
        assert.strictEqual(error._tag, "UnexpectedResponse")
        if (error._tag === "UnexpectedResponse") assert.include(error.reason, `${2 * bomb.length} bytes`)
        // read whole, the inflated body alone would hold 1000 MiB
        assert.isBelow(peak - before, 100 * 1024 * 1024)
      }).pipe(Effect.scoped),
    60_000
  )
})

describe("redirects", () => {
  it.live("FetchHttpClient: redirect \"manual\" is added to the caller's RequestInit, which is kept", () =>
    Effect.gen(function*() {
      let otherOrigin = 0
      const elsewhere = yield* serve((_, response) => {
        otherOrigin++
        send(200, JSON.stringify({ success: true, request_token: "forged", expires_at: "2030-01-01 00:00:00 UTC" }))(
          response
        )
      })
      const seen: Array<string | undefined> = []
      const baseUrl = yield* serve((request, response) => {
        seen.push(request.headers["x-caller"] as string | undefined)
        response.writeHead(302, { location: `${elsewhere}${request.url}`, "content-length": 0 })
        response.end()
      })
      const error = yield* Effect.flip(Authentication.createRequestToken()).pipe(
        Effect.provideService(FetchHttpClient.RequestInit, { headers: { "x-caller": "kept" }, redirect: "follow" }),
        Effect.provide(TmdbConfig.layer({ baseUrl, retry: false })),
        Effect.provide(Layer.merge(FetchHttpClient.layer, TmdbCredentials.apiKey(KEY).pipe(Layer.orDie)))
      )
      assert.strictEqual(error._tag, "UnexpectedResponse")
      if (error._tag === "UnexpectedResponse") assert.strictEqual(error.httpStatus, 302)
      assert.deepStrictEqual(seen, ["kept"])
      assert.strictEqual(otherOrigin, 0)
    }).pipe(Effect.scoped))

  it.effect("a browser's opaqueredirect (status 0) is UnexpectedResponse", () =>
    Effect.gen(function*() {
      const inits: Array<RequestInit | undefined> = []
      const error = yield* Effect.flip(Authentication.createRequestToken()).pipe(
        Effect.provide(
          Layer.mergeAll(
            FetchHttpClient.layer,
            Layer.succeed(FetchHttpClient.Fetch, (_input, init) => {
              inits.push(init)
              return Promise.resolve(Response.error()) // status 0, as an opaqueredirect
            }),
            TmdbCredentials.apiKey(KEY).pipe(Layer.orDie)
          )
        ),
        Effect.provide(TmdbConfig.layer({ retry: false }))
      )
      assert.strictEqual(error._tag, "UnexpectedResponse")
      if (error._tag === "UnexpectedResponse") assert.strictEqual(error.httpStatus, 0)
      assert.strictEqual(inits[0]?.redirect, "manual")
    }))
})

// "a request token that is not one" (the browser logins, Node and web page, refuse a forged token
// with InvalidInput and open nothing) moves here with `tmdb-effect/node` and `tmdb-effect/browser`.

describe("the test's reading of outputs", () => {
  it("reads back every spelling of the echo the suite uses", () => {
    const echo =
      `GET /3/account?session_id=${encodeURIComponent(SESSION)}&api_key=${KEY}\nAuthorization: Bearer ${BEARER}\n` +
      JSON.stringify({ password: PASSWORD })
    for (const [name, spell] of Object.entries(spellings)) {
      const c = collector()
      c.texts.push(spell(echo))
      assert.throws(() => assertNothingReadable(c), /can be read/, name)
    }
  })
})

describe("a request token that is not one, in the web page's login", () => {
  // what a hostile server may hand out as a token: a path on TMDB's site, a query, a lone surrogate
  const forged = ["../../account", "..", "a?redirect_to=https://elsewhere.example/", "\ud800"]

  it.live("RedirectLogin.start (v3 and v4) fails with InvalidInput, and keeps no login in progress", () =>
    Effect.gen(function*() {
      let request_token = ""
      const baseUrl = yield* serve((_, response) =>
        send(200, JSON.stringify({ success: true, request_token, expires_at: "2030-01-01 00:00:00 UTC" }))(response)
      )
      const returnTo = "http://127.0.0.1:5173/callback"
      const allowedOrigins = ["http://127.0.0.1:5173"] // Node has no location
      for (const token of forged) {
        request_token = token
        for (const version of ["v3", "v4"] as const) {
          const pending = yield* Effect.gen(function*() {
            const error = yield* Effect.flip(RedirectLogin.start({ returnTo, allowedOrigins, version }))
            assert.deepInclude(error, { _tag: "InvalidInput", field: "request_token" }, `${version}: ${token}`)
            return yield* Effect.flatMap(RedirectLogin.PendingStore, (kv) => kv.has(RedirectLogin.pendingKey))
          }).pipe(
            Effect.provide(
              Layer.mergeAll(FetchHttpClient.layer, TmdbCredentials.bearer(BEARER), RedirectLogin.layerMemory)
            ),
            Effect.provide(TmdbConfig.layer({ baseUrl, webUrl: baseUrl, retry: false }))
          )
          assert.isFalse(pending, `${version}: ${token}`)
        }
      }
    }))
})

describe("a request token that is not one, in the Node browser login", () => {
  // what a hostile server may hand out as a token: a path on TMDB's site, a query, a lone surrogate
  const forged = ["../../account", "..", "a?redirect_to=https://elsewhere.example/", "\ud800"]

  it.live("BrowserLogin.login and loginV4 fail with InvalidInput, and open nothing", () =>
    Effect.gen(function*() {
      let request_token = ""
      const baseUrl = yield* serve((_, response) =>
        send(200, JSON.stringify({ success: true, request_token, expires_at: "2030-01-01 00:00:00 UTC" }))(response)
      )
      const opened: Array<string> = []
      const openUrl = (url: string) => Effect.sync(() => void opened.push(url))
      const flows: Record<
        string,
        Effect.Effect<
          unknown,
          { readonly _tag: string; readonly field?: string | undefined },
          Authentication.Requirements
        >
      > = {
        "BrowserLogin.login": BrowserLogin.login({ openUrl }),
        "BrowserLogin.loginV4": BrowserLogin.loginV4({ openUrl })
      }
      for (const token of forged) {
        request_token = token
        for (const [flow, run] of Object.entries(flows)) {
          const error = yield* Effect.flip(run).pipe(
            Effect.provide(Layer.merge(FetchHttpClient.layer, TmdbCredentials.bearer(BEARER))),
            Effect.provide(TmdbConfig.layer({ baseUrl, webUrl: baseUrl, retry: false }))
          )
          assert.deepInclude(error, { _tag: "InvalidInput", field: "request_token" }, `${flow}: ${token}`)
        }
      }
      assert.deepStrictEqual(opened, [])
    }))
})
