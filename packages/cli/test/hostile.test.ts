/**
 * `tmdb-auth` against a hostile server on 127.0.0.1: what it answers is printed only through the
 * CLI's one printable filter (src/printable.ts) — escape sequences, `\r` and bidi overrides never
 * reach the terminal, in a success line, a JSON object or an error — and a secret it echoes back
 * is withheld, in every spelling.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { TmdbSimulator } from "tmdb-effect/testing"
import { canonical, send, shapes, spellings } from "../../../fixtures/echoes.js"
import { serve } from "../../effect4/test/utils/hostileServer.js"
import { printable } from "../src/printable.js"
import { oneObject, tmdbAuth } from "./utils/cli.js"

const password = `Hunter2&"QZX7V3"`

const tempDir = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "tmdb-cli-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

const account = (username: string) =>
  JSON.stringify({
    id: 7,
    name: "",
    username,
    include_adult: false,
    iso_639_1: "en",
    iso_3166_1: "US",
    avatar: { gravatar: { hash: "" }, tmdb: { avatar_path: null } }
  })

const requestToken = JSON.stringify({
  success: true,
  request_token: "a".repeat(40),
  expires_at: "2030-01-01 00:00:00 UTC"
})

/** Answers the password login flow; `login` and `account` say how its password step and the account answer. */
const hostile = (answers: { readonly login: string; readonly loginStatus: number; readonly account: string }) =>
  serve((request, response) => {
    const [status, body] = request.url.startsWith("/3/authentication/token/new")
      ? [200, requestToken]
      : request.url.startsWith("/3/authentication/token/validate_with_login")
      ? [answers.loginStatus, answers.login]
      : request.url.startsWith("/3/authentication/session/new")
      ? [200, JSON.stringify({ success: true, session_id: "b".repeat(40) })]
      : [200, answers.account]
    response.writeHead(status, { "content-type": "application/json" })
    response.end(body)
  })

/** `tmdb-auth` against `baseUrl` in a fresh directory; `args` after the command. */
const run = (baseUrl: string, args: ReadonlyArray<string>, options?: { readonly stored?: string }) =>
  Effect.gen(function*() {
    const dir = yield* tempDir
    const store = Path.join(dir, "session.json")
    if (options?.stored !== undefined) Fs.writeFileSync(store, options.stored, { mode: 0o600 })
    return yield* tmdbAuth(args, {
      TMDB_API_KEY: TmdbSimulator.apiKey,
      TMDB_BASE_URL: baseUrl,
      TMDB_AUTH_STORE: store,
      XDG_CONFIG_HOME: dir,
      TMDB_PASSWORD: password
    })
  })

/** The escape sequences as a server would send them in a username, and what the CLI shows of each. */
const vectors = [
  { name: "OSC 0 (window title)", username: "\u001b]0;pwned\u0007demo", shown: "\uFFFDdemo" },
  { name: "OSC 0 ended by ST", username: "\u001b]0;pwned\u001b\\demo", shown: "\uFFFDdemo" },
  { name: "OSC 52 (clipboard)", username: "demo\u001b]52;c;cm0gLXJmIH4K\u0007", shown: "demo\uFFFD" },
  { name: "clear screen", username: "\u001b[2J\u001b[3J\u001b[Hdemo", shown: "\uFFFD\uFFFD\uFFFDdemo" },
  {
    name: "CR forging a line",
    username: "evil\rLogged in as admin (account 1).",
    shown: "evil\uFFFDLogged in as admin (account 1)."
  },
  { name: "U+202E (right-to-left override)", username: "demo\u202Etxt.exe", shown: "demo\uFFFDtxt.exe" },
  { name: "8-bit CSI", username: "de\u009b2Jmo", shown: "de\uFFFDmo" },
  { name: "bidi isolate and newline", username: "de\u2066mo\nroot", shown: "de\uFFFDmo\uFFFDroot" }
] as const

/** Bytes no output of the CLI may hold when a server sent the vectors. */

const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

describe("tmdb-auth: what a server sends is printed through one filter", () => {
  it("the filter replaces each escape sequence whole, each control and bidi character, and nothing else", () => {
    for (const { name, shown, username } of vectors) assert.strictEqual(printable(username), shown, name)
    assert.strictEqual(printable("Zoë 日本 ok-name_1"), "Zoë 日本 ok-name_1")
  })

  it.effect(
    "login and whoami: each escape sequence returned as the username, the exact bytes written",
    () =>
      Effect.gen(function*() {
        for (const { name, shown, username } of vectors) {
          const baseUrl = yield* hostile({ loginStatus: 200, login: requestToken, account: account(username) })
          const login = yield* run(baseUrl, ["login", "--password", "--username", "jo"])
          assert.strictEqual(login.code, 0, `${name}: ${login.stderr}`)
          assert.strictEqual(login.stdout, `Logged in as ${shown} (account 7).\n`, name)
          assert.strictEqual(login.stderr, "", name)
          const loginJson = yield* run(baseUrl, ["--json", "login", "--password", "--username", "jo"])
          assert.strictEqual(
            loginJson.stdout,
            `{"ok":true,"kind":"session","username":${JSON.stringify(shown)},"account_id":7,"exitCode":0}\n`,
            name
          )
          const stored = JSON.stringify({
            kind: "session",
            session_id: "b".repeat(40),
            account_id: 7,
            created_at: "2026-01-01T00:00:00.000Z"
          })
          const whoami = yield* run(baseUrl, ["whoami"], { stored })
          assert.strictEqual(whoami.stdout, `${shown} (account 7), logged in since 2026-01-01T00:00:00.000Z.\n`, name)
          const whoamiJson = yield* run(baseUrl, ["whoami", "--json"], { stored })
          assert.strictEqual(oneObject(whoamiJson).username, shown, name)
          for (const result of [login, loginJson, whoami, whoamiJson]) {
            assert.notMatch(result.stdout + result.stderr, unsafe, name)
          }
        }
      }),
    120_000
  )

  it.effect("an error message from the server is filtered too", () =>
    Effect.gen(function*() {
      const baseUrl = yield* hostile({
        loginStatus: 401,
        login: JSON.stringify({
          success: false,
          status_code: 47,
          status_message: "bad\u001b]52;c;cm0gLXJmIH4K\u0007 input\u202E \rok"
        }),
        account: "{}"
      })
      for (const json of [false, true]) {
        const result = yield* run(baseUrl, ["login", "--password", "--username", "jo", ...(json ? ["--json"] : [])])
        assert.strictEqual(result.code, 1, result.stderr)
        const shown = json ? String(oneObject(result).message) : result.stderr
        assert.include(shown, "bad\uFFFD input\uFFFD ", shown)
        assert.notMatch(result.stdout + result.stderr, unsafe)
      }
    }))

  it.effect("login --password never prints the password a server echoes back", () =>
    Effect.gen(function*() {
      const echoing = yield* hostile({
        loginStatus: 401,
        login: JSON.stringify({
          success: false,
          status_code: 30,
          status_message: `Invalid password ${password.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}`
        }),
        account: "{}"
      })
      const asName = yield* hostile({
        loginStatus: 200,
        login: requestToken,
        account: account(`you are ${password.toUpperCase()}`)
      })
      for (const json of [false, true]) {
        const flags = ["login", "--password", "--username", "jo", ...(json ? ["--json"] : [])]
        const refused = yield* run(echoing, flags)
        assert.strictEqual(refused.code, 3, refused.stderr)
        const shown = `${refused.stdout}${refused.stderr}`
        assert.include(shown, "Invalid username and/or password: You did not provide a valid login.")
        assert.notInclude(shown.toUpperCase(), "QZX7V3")
        const named = yield* run(asName, flags)
        assert.strictEqual(named.code, 0, named.stderr)
        assert.include(named.stdout, "<withheld")
        assert.notInclude(`${named.stdout}${named.stderr}`.toUpperCase(), "QZX7V3")
      }
    }))

  it.effect(
    "login --password: an echo of the request in every spelling and every kind of answer shows no secret",
    () =>
      Effect.gen(function*() {
        const key = "c0ffee5ec2e7a91dba5eba11deadf00d"
        const spellingNames = Object.keys(spellings)
        const shapeNames = Object.keys(shapes)
        // every spelling, in a kind of answer that changes along: each kind comes at least twice
        const probes = spellingNames.map((spelling, i) => [shapeNames[i % shapeNames.length]!, spelling] as const)
        assert.isAtLeast(probes.length, 2 * shapeNames.length)
        const results = yield* Effect.forEach(probes, ([shape, spelling], i) =>
          Effect.gen(function*() {
            const baseUrl = yield* serve((request, response) => {
              if (!request.url.startsWith("/3/authentication/token/validate_with_login")) {
                return send(200, requestToken)(response)
              }
              shapes[shape]!(spellings[spelling]!(`${request.method} ${request.url}\n${request.body}`))(response)
            })
            const dir = yield* tempDir
            const result = yield* tmdbAuth(["login", "--password", "--username", "jo", ...(i % 2 ? ["--json"] : [])], {
              TMDB_API_KEY: key,
              TMDB_BASE_URL: baseUrl,
              TMDB_AUTH_STORE: Path.join(dir, "session.json"),
              XDG_CONFIG_HOME: dir,
              TMDB_PASSWORD: password
            })
            return { label: `${shape} / ${spelling}`, result }
          }), { concurrency: 2 })
        for (const { label, result } of results) {
          assert.notStrictEqual(result.code, 0, label)
          const shown = canonical(`${result.stdout}${result.stderr}`)
          assert.isAbove(shown.length, 0, label)
          for (const marker of ["qzx7v3", "hunter2", key.slice(4, 14)]) assert.notInclude(shown, marker, label)
        }
        // the echo did reach the output where it held no secret: the check above can fail
        assert.isTrue(results.some(({ result }) => result.stderr.includes("<withheld")))
      }),
    120_000
  )
})
