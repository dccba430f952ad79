/**
 * The `tmdb-auth` CLI end to end: spawned as a process (bundled, as it ships) against the
 * simulator served on loopback by this test process, with stdin not a terminal. The interactive
 * prompts in a real terminal are in `cliTerminal.test.ts`.
 */
import * as ValidationError from "@effect/cli/ValidationError"
import { FetchHttpClient } from "@effect/platform"
import { assert, describe, it, layer } from "@effect/vitest"
import { Duration, Effect, Layer } from "effect"
import type { ChildProcess } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { TmdbConfig } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { canonical, send, shapes, spellings } from "../../../fixtures/echoes.js"
import { ExitCode, parseTimeout } from "../src/node/internal/cli.js"
import { exitCodes } from "../src/node/internal/cliHelp.js"
import { packageVersion, root, tmdbAuth } from "./utils/cli.js"
import { serve } from "./utils/hostileServer.js"
import { freePort } from "./utils/ports.js"

/** `--json` output: exactly one line, one JSON object, whose `exitCode` is the process's. */
const oneObject = (result: { readonly code: number | null; readonly stdout: string }) => {
  assert.match(result.stdout, /^\{[^\n]*\}\n$/, `not one JSON line: ${JSON.stringify(result.stdout)}`)
  const object = JSON.parse(result.stdout) as Record<string, unknown>
  assert.strictEqual(object.exitCode, result.code)
  assert.strictEqual(object.ok, result.code === 0)
  return object
}

const setup = Effect.gen(function*() {
  const { baseUrl } = yield* TmdbConfig.TmdbConfig
  const dir = yield* Effect.acquireRelease(
    Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "tmdb-cli-"))),
    (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
  )
  const store = Path.join(dir, "session.json")
  const env = {
    TMDB_API_KEY: TmdbSimulator.apiKey,
    TMDB_BASE_URL: baseUrl,
    TMDB_AUTH_STORE: store,
    XDG_CONFIG_HOME: dir
  }
  return { env, store }
})

layer(Layer.mergeAll(TmdbSimulator.layerServer(), FetchHttpClient.layer), { excludeTestServices: true })(
  "tmdb-auth",
  (it) => {
    it.scoped("login --password (TMDB_PASSWORD) → whoami --json → logout", () =>
      Effect.gen(function*() {
        const simulator = yield* TmdbSimulator.TmdbSimulator
        const { env, store } = yield* setup
        const { password, username } = TmdbSimulator.defaultAccount

        const login = yield* tmdbAuth(["login", "--password", "--username", username], {
          ...env,
          TMDB_PASSWORD: password
        })
        assert.strictEqual(login.code, 0, login.stderr)
        assert.strictEqual(login.stdout, "Logged in as demo (account 1000).\n")
        assert.strictEqual(Fs.statSync(store).mode & 0o777, 0o600)
        const [session] = yield* simulator.sessions
        assert.strictEqual(session?.username, username)

        const whoami = yield* tmdbAuth(["whoami", "--json"], env)
        assert.strictEqual(whoami.code, 0, whoami.stderr)
        const who = JSON.parse(whoami.stdout)
        assert.deepInclude(who, { ok: true, kind: "session", username: "demo", account_id: 1000 })
        assert.notInclude(whoami.stdout, session!.session_id)

        const logout = yield* tmdbAuth(["logout"], env)
        assert.strictEqual(logout.code, 0, logout.stderr)
        assert.include(logout.stdout, "Logged out")
        assert.isFalse(Fs.existsSync(store))
        assert.deepStrictEqual(yield* simulator.sessions, [])
      }), 30_000)

    it.scoped("a second login ends the session it replaces at TMDB", () =>
      Effect.gen(function*() {
        const simulator = yield* TmdbSimulator.TmdbSimulator
        const { env } = yield* setup
        const { password, username } = TmdbSimulator.defaultAccount
        const loginEnv = { ...env, TMDB_PASSWORD: password }
        const first = yield* tmdbAuth(["login", "--password", "--username", username], loginEnv)
        assert.strictEqual(first.code, 0, first.stderr)
        const [replaced] = yield* simulator.sessions
        const second = yield* tmdbAuth(["login", "--password", "--username", username], loginEnv)
        assert.strictEqual(second.code, 0, second.stderr)
        const live = yield* simulator.sessions
        assert.strictEqual(live.length, 1)
        assert.notStrictEqual(live[0]!.session_id, replaced!.session_id)
      }), 30_000)

    it.scoped(
      "login in the browser: the approval URL is printed, a scripted browser approves it",
      () =>
        Effect.gen(function*() {
          const simulator = yield* TmdbSimulator.TmdbSimulator
          const { env } = yield* setup
          yield* simulator.scriptApproval({ decision: "approve" })
          let browser: Promise<string> | undefined
          const login = yield* tmdbAuth(["login", "--no-open", "--json"], env, {
            onStderr: (stderr) => {
              const url = /http:\/\/127\.0\.0\.1:\d+\/authenticate\/\S+/.exec(stderr)?.[0]
              if (url !== undefined && browser === undefined) browser = fetch(url).then((r) => r.text())
            }
          })
          assert.strictEqual(login.code, 0, login.stderr)
          assert.deepStrictEqual(JSON.parse(login.stdout), {
            ok: true,
            kind: "session",
            username: "demo",
            account_id: 1000,
            exitCode: 0
          })
          assert.include(login.stderr, "Open this URL in a browser")
          assert.include(yield* Effect.promise(() => browser ?? Promise.resolve("")), "You can close this window")
        }),
      30_000
    )

    it.scoped(
      "logout: already invalid at TMDB → removed, exit 0; corrupted → removed with a warning, exit 0; TMDB failing → kept, exit 5",
      () =>
        Effect.gen(function*() {
          const simulator = yield* TmdbSimulator.TmdbSimulator
          const stored = (session_id: string) =>
            JSON.stringify({ kind: "session", session_id, created_at: "2026-01-01T00:00:00.000Z" })
          const invalid = yield* setup
          Fs.writeFileSync(invalid.store, stored("5".repeat(40)), { mode: 0o600 })
          const corrupted = yield* setup
          Fs.writeFileSync(corrupted.store, "{\"kind\":\"sess", { mode: 0o600 })
          const failing = yield* setup
          Fs.writeFileSync(failing.store, stored("7".repeat(40)), { mode: 0o600 })

          // TMDB's 401 with code 3 for a session it no longer accepts
          yield* simulator.inject(
            TmdbSimulator.Fault.Status({
              status: 401,
              body: JSON.stringify({
                success: false,
                status_code: 3,
                status_message: "Authentication failed: You do not have permissions to access the service."
              }),
              headers: { "content-type": "application/json" }
            }),
            { path: "/3/authentication/session" }
          )
          const already = yield* tmdbAuth(["logout"], invalid.env)
          assert.strictEqual(already.code, 0, already.stderr)
          assert.include(already.stdout, "Already logged out")
          assert.isFalse(Fs.existsSync(invalid.store))

          const repaired = yield* tmdbAuth(["logout", "--json"], corrupted.env)
          assert.strictEqual(repaired.code, 0, repaired.stderr)
          assert.deepInclude(JSON.parse(repaired.stdout), { ok: true, outcome: "CorruptedRemoved" })
          assert.match(
            repaired.stderr,
            /^tmdb-auth: warning: .*session\.json was corrupted \(not valid JSON\) and is removed/
          )
          assert.isFalse(Fs.existsSync(corrupted.store))

          // a 500 is not retried; 502/503/504 and transport failures are, then end the same way
          yield* simulator.inject(TmdbSimulator.Fault.Status({ status: 500 }), { path: "/3/authentication/session" })
          const kept = yield* tmdbAuth(["logout"], failing.env)
          assert.strictEqual(kept.code, 5)
          assert.match(kept.stderr, /^tmdb-auth: Not logged out: .*run `tmdb-auth logout` again to retry\n$/)
          assert.notInclude(kept.stderr, "7".repeat(40))
          assert.isTrue(Fs.existsSync(failing.store))
          const retried = yield* tmdbAuth(["logout"], failing.env)
          assert.strictEqual(retried.code, 0, retried.stderr)
          assert.isFalse(Fs.existsSync(failing.store))
        }),
      30_000
    )

    it.scoped(
      "logout: TMDB unreachable or rate limiting past the retries → kept, exit 5; gone (6, 17, 34) → removed, exit 0",
      () =>
        Effect.gen(function*() {
          const simulator = yield* TmdbSimulator.TmdbSimulator
          const stored = JSON.stringify({
            kind: "session",
            session_id: "7".repeat(40),
            created_at: "2026-01-01T00:00:00.000Z"
          })
          const unreachable = yield* setup
          Fs.writeFileSync(unreachable.store, stored, { mode: 0o600 })
          const limited = yield* setup
          Fs.writeFileSync(limited.store, stored, { mode: 0o600 })
          const [refused, rateLimited] = yield* Effect.all([
            tmdbAuth(["logout"], { ...unreachable.env, TMDB_BASE_URL: `http://127.0.0.1:${yield* freePort}` }),
            Effect.zipRight(
              simulator.inject(TmdbSimulator.Fault.RateLimit({ retryAfter: 1 }), {
                path: "/3/authentication/session",
                times: 4
              }),
              tmdbAuth(["logout", "--json"], limited.env)
            )
          ], { concurrency: "unbounded" })
          assert.strictEqual(refused.code, 5, refused.stderr)
          assert.match(refused.stderr, /^tmdb-auth: Not logged out: .*run `tmdb-auth logout` again to retry\n$/)
          assert.isTrue(Fs.existsSync(unreachable.store))
          assert.strictEqual(rateLimited.code, 5, rateLimited.stdout)
          assert.deepInclude(oneObject(rateLimited), { error: "LogoutIncomplete" })
          assert.isTrue(Fs.existsSync(limited.store))
          for (const [status, status_code] of [[401, 6], [401, 17], [404, 34]] as const) {
            const gone = yield* setup
            Fs.writeFileSync(gone.store, stored, { mode: 0o600 })
            yield* simulator.inject(
              TmdbSimulator.Fault.Status({
                status,
                body: JSON.stringify({ success: false, status_code, status_message: "gone" }),
                headers: { "content-type": "application/json" }
              }),
              { path: "/3/authentication/session" }
            )
            const result = yield* tmdbAuth(["logout", "--json"], gone.env)
            assert.strictEqual(result.code, 0, `${status_code}: ${result.stdout}`)
            assert.deepInclude(oneObject(result), { outcome: "AlreadyLoggedOut" })
            assert.isFalse(Fs.existsSync(gone.store))
          }
        }),
      60_000
    )

    it.scoped(
      "a wrong password exits 3, missing credentials exit 2, each with one clear line",
      () =>
        Effect.gen(function*() {
          const { env } = yield* setup
          const { TMDB_API_KEY: _, ...noCredentials } = env
          const [wrong, missing, notLoggedIn] = yield* Effect.all([
            tmdbAuth(["login", "--password", "--username", "demo"], { ...env, TMDB_PASSWORD: "hunter2-wrong" }),
            tmdbAuth(["validate"], noCredentials),
            tmdbAuth(["whoami"], env)
          ], { concurrency: "unbounded" })
          assert.strictEqual(wrong.code, 3)
          assert.strictEqual(wrong.stdout, "")
          assert.match(wrong.stderr, /^tmdb-auth: TMDB rejected the username or password: .*status_code 30\)\n$/)
          assert.notInclude(wrong.stderr, "hunter2-wrong")
          assert.strictEqual(missing.code, 2)
          assert.strictEqual(
            missing.stderr,
            "tmdb-auth: No TMDB credentials: set TMDB_BEARER_TOKEN to your API Read Access Token " +
              "(or TMDB_API_KEY to your v3 API key), both on https://www.themoviedb.org/settings/api.\n"
          )
          assert.strictEqual(notLoggedIn.code, 4)
          assert.include(notLoggedIn.stderr, "Not logged in")
        }),
      30_000
    )

    it.scoped(
      "without a terminal, a missing value is exit 2 at once, naming what supplies it",
      () =>
        Effect.gen(function*() {
          const { env, store } = yield* setup
          // stdin is /dev/null: a prompt would wait forever; the test kills it at 10 s
          const [password, username, json] = yield* Effect.all([
            tmdbAuth(["login", "--password", "--username", "demo"], env, { killAfter: 10_000 }),
            tmdbAuth(["login", "--password"], { ...env, TMDB_PASSWORD: "demo-password" }, { killAfter: 10_000 }),
            tmdbAuth(["login", "--password", "--username", "demo", "--json"], env, { killAfter: 10_000 })
          ], { concurrency: "unbounded" })
          assert.isFalse(password.killed, "it waited for input")
          assert.strictEqual(password.code, 2)
          assert.strictEqual(password.stdout, "")
          assert.strictEqual(
            password.stderr,
            "tmdb-auth: No password, and stdin is not a terminal to prompt on: " +
              "pipe it with --password-stdin or set TMDB_PASSWORD\n"
          )
          assert.isFalse(username.killed, "it waited for input")
          assert.strictEqual(username.code, 2)
          assert.match(username.stderr, /^tmdb-auth: No username, .*pass --username or set TMDB_USERNAME\n$/)
          assert.deepInclude(oneObject(json), { error: "MissingInput" })
          assert.isFalse(Fs.existsSync(store))
        }),
      30_000
    )

    it.scoped(
      "a password given as an argument with --password, in any form, is not shown back",
      () =>
        Effect.gen(function*() {
          const { env } = yield* setup
          const password = "Hunter2-QZX7V3"
          const results = yield* Effect.all(
            [
              ["login", "--password", password, "--username", "demo"],
              ["login", "--password-stdin", password, "--json"],
              ["login", `--password=${password}`, "--username", "demo"],
              ["login", "--password", "--", password],
              ["login", "--password", "--username", "demo", password, "--json"],
              // a one-letter password: nothing of the message is cut out around it either
              ["login", "--password", "a", "--username", "demo"]
            ].map((args) => tmdbAuth(args, env)),
            { concurrency: "unbounded" }
          )
          for (const result of results) {
            assert.strictEqual(result.code, 2)
            const shown = result.stdout + result.stderr
            assert.include(shown, "the arguments do not parse <withheld: they include --password")
            assert.notInclude(shown, "QZX7V3")
            assert.notInclude(shown.toLowerCase(), "hunter2")
          }
          assert.deepInclude(oneObject(results[1]!), { error: "InvalidArguments", exitCode: 2 })
          assert.deepInclude(oneObject(results[4]!), { error: "InvalidArguments", exitCode: 2 })
        }),
      60_000
    )

    it.scoped("login --password-stdin reads the password from a pipe", () =>
      Effect.gen(function*() {
        const { env, store } = yield* setup
        const { password, username } = TmdbSimulator.defaultAccount
        const login = yield* tmdbAuth(["login", "--password-stdin", "--username", username, "--json"], env, {
          stdin: `${password}\n`
        })
        assert.deepInclude(oneObject(login), { ok: true, kind: "session", username })
        assert.notInclude(login.stdout + login.stderr, password)
        assert.isTrue(Fs.existsSync(store))
        const [noUsername, tooLong, wrong] = yield* Effect.all([
          tmdbAuth(["login", "--password-stdin"], env, { stdin: password }),
          tmdbAuth(["login", "--password-stdin", "--username", username], env, { stdin: "x".repeat(5000) }),
          tmdbAuth(["login", "--password-stdin", "--username", username], env, { stdin: "not-it\n" })
        ], { concurrency: "unbounded" })
        assert.strictEqual(noUsername.code, 2)
        assert.include(noUsername.stderr, "pass --username or set TMDB_USERNAME")
        assert.strictEqual(tooLong.code, 2)
        assert.include(tooLong.stderr, "Invalid password: stdin held more than 4096 characters")
        assert.strictEqual(wrong.code, 3)
      }), 30_000)

    it.scoped(
      "--json: one JSON object on stdout for every outcome, and one meaning per exit code",
      () =>
        Effect.gen(function*() {
          const simulator = yield* TmdbSimulator.TmdbSimulator
          const { env } = yield* setup
          const { TMDB_API_KEY: _, ...noCredentials } = env
          const unsafe = yield* setup
          Fs.writeFileSync(unsafe.store, "{}", { mode: 0o644 })
          Fs.chmodSync(unsafe.store, 0o644)
          const cases: ReadonlyArray<readonly [number, string, ReadonlyArray<string>, Record<string, string>]> = [
            [ExitCode.usage, "InvalidArguments", ["whoami", "--json", "--bogus"], env],
            [ExitCode.usage, "InvalidArguments", ["login", "--json", "--timeout", "abc"], env],
            [ExitCode.usage, "InvalidArguments", ["login", "--json", "--timeout", "0"], env],
            [ExitCode.usage, "InvalidArguments", ["--json", "bogus"], env],
            [ExitCode.usage, "InvalidConfig", ["validate", "--json", "--base-url", "not-a-url"], env],
            [ExitCode.usage, "ConfigError", ["validate", "--json"], noCredentials],
            [ExitCode.usage, "InvalidCredentialsFormat", ["validate", "--json"], { ...env, TMDB_API_KEY: "oops" }],
            [ExitCode.usage, "InvalidInput", ["login", "--json", "--v4", "--password"], env],
            [ExitCode.refused, "InvalidLogin", ["login", "--json", "--password", "--username", "demo"], {
              ...env,
              TMDB_PASSWORD: "wrong"
            }],
            [ExitCode.notLoggedIn, "NotLoggedIn", ["whoami", "--json"], env],
            [ExitCode.local, "InsecureSessionFile", ["whoami", "--json"], unsafe.env]
          ]
          for (const [code, error, args, caseEnv] of cases) {
            const result = yield* tmdbAuth(args, caseEnv)
            assert.strictEqual(result.code, code, `${args.join(" ")}: ${result.stdout}`)
            assert.deepInclude(oneObject(result), { ok: false, error }, args.join(" "))
            // a bad setting names where the CLI's user gave it
            if (error === "InvalidConfig") {
              assert.include(String(oneObject(result).message), "(set with --base-url or TMDB_BASE_URL)")
            }
          }
          // an answer TMDB does not document (HTML with a 200): 1
          yield* simulator.inject(TmdbSimulator.Fault.Html({ status: 200 }), { path: "/3/authentication" })
          const unexpected = yield* tmdbAuth(["validate", "--json"], env)
          assert.strictEqual(unexpected.code, ExitCode.unexpected)
          assert.deepInclude(oneObject(unexpected), { error: "UnexpectedResponse" })
          // TMDB failing (a 500 is not retried): 5
          yield* simulator.inject(TmdbSimulator.Fault.Status({ status: 500 }), { path: "/3/authentication" })
          const unavailable = yield* tmdbAuth(["validate", "--json"], env)
          assert.strictEqual(unavailable.code, ExitCode.unavailable)
          assert.deepInclude(oneObject(unavailable), { error: "TmdbUnavailable" })
          // success: 0
          const validated = yield* tmdbAuth(["validate", "--json"], env)
          assert.deepStrictEqual(oneObject(validated), { ok: true, credentials: "ApiKey", exitCode: 0 })
          for (
            const [command, fields] of [
              ["guest", { kind: "guest" }],
              ["whoami", { kind: "guest", username: null }],
              ["logout", { outcome: "LoggedOut", kind: "guest" }],
              ["logout", { outcome: "NothingStored" }]
            ] as const
          ) {
            const result = yield* tmdbAuth([command, "--json"], env)
            assert.strictEqual(result.code, 0, result.stderr)
            assert.deepInclude(oneObject(result), fields, command)
          }
        }),
      60_000
    )

    it.scoped(
      "Ctrl-C while waiting for the browser exits 130 with one line and writes nothing",
      () =>
        Effect.gen(function*() {
          for (const json of [false, true]) {
            const { env } = yield* setup
            const interruptAtUrl = (stderr: string, child: ChildProcess) => {
              if (stderr.includes("/authenticate/") && !child.killed) child.kill("SIGINT")
            }
            const login = yield* tmdbAuth(["login", "--no-open", ...(json ? ["--json"] : [])], env, {
              onStderr: interruptAtUrl
            })
            assert.strictEqual(login.code, ExitCode.interrupted)
            if (json) {
              assert.deepInclude(oneObject(login), { error: "Interrupted" })
            } else {
              assert.strictEqual(login.stdout, "")
              assert.match(login.stderr, /\n\ntmdb-auth: Interrupted\n$/)
              assert.strictEqual(login.stderr.split("tmdb-auth:").length, 2)
            }
            assert.deepStrictEqual(Fs.readdirSync(env.XDG_CONFIG_HOME), [], "a file was left behind")
          }
        }),
      30_000
    )
  }
)

describe("tmdb-auth --help and --timeout", () => {
  it.effect(
    "--help: a USAGE line per command, exit codes and examples, and no ANSI codes in a pipe",
    () =>
      Effect.gen(function*() {
        const [help, loginHelp, noColor] = yield* Effect.all([
          tmdbAuth(["--help"], {}),
          tmdbAuth(["login", "--help"], {}),
          tmdbAuth(["whoami", "--store", "guest", "-h"], { NO_COLOR: "1" })
        ], { concurrency: "unbounded" })
        for (const result of [help, loginHelp, noColor]) {
          assert.strictEqual(result.code, 0)
          assert.notInclude(result.stdout, "\u001b", "ANSI codes in help written to a pipe")
          assert.include(result.stdout, "EXIT CODES")
          assert.include(result.stdout, "EXAMPLES")
        }
        for (const command of ["validate", "guest", "login", "whoami", "logout"]) {
          assert.match(help.stdout, new RegExp(`^\\$ tmdb-auth ${command} \\[--json\\]`, "m"))
        }
        assert.match(loginHelp.stdout, /^\$ tmdb-auth login .*\[--password-stdin\].*\[--timeout duration\]$/m)
        assert.include(loginHelp.stdout, "$ tmdb-auth login --no-open --timeout 10m")
        assert.notInclude(loginHelp.stdout, "$ tmdb-auth whoami")
        // the command named first, not a later word that happens to name one
        assert.match(noColor.stdout, /^\$ tmdb-auth whoami /m)
        assert.notMatch(noColor.stdout, /^\$ tmdb-auth guest /m)
        for (const code of Object.values(ExitCode)) {
          assert.match(help.stdout, new RegExp(`^ *${code}  \\S`, "m"), `exit code ${code} not in --help`)
        }
      }),
    30_000
  )

  it.effect("--version prints package.json's version, stamped in by the build", () =>
    Effect.gen(function*() {
      const result = yield* tmdbAuth(["--version"], {})
      assert.strictEqual(result.code, 0, result.stderr)
      assert.strictEqual(result.stdout.trim(), packageVersion)
    }), 30_000)

  it("the CLI guide's exit code table has the codes --help has, and each has one meaning", () => {
    const guide = Fs.readFileSync(Path.join(root, "../../docs/cli.md"), "utf8")
    const start = guide.indexOf("\n## Exit codes\n")
    assert.isAtLeast(start, 0, "docs/cli.md has a section \"## Exit codes\"")
    const next = guide.indexOf("\n## ", start + 1)
    const table = guide.slice(start, next === -1 ? undefined : next)
    const documented = [...table.matchAll(/^\| (\d+) \|/gm)].map((match) => Number(match[1]))
    assert.deepStrictEqual(documented, exitCodes.map(([code]) => code))
    assert.deepStrictEqual(
      [...new Set(Object.values(ExitCode))].sort((a, b) => a - b),
      exitCodes.map(([code]) => code)
    )
  })

  it.effect("--timeout takes a duration, and bare seconds as before", () =>
    Effect.gen(function*() {
      for (
        const [text, millis] of [["30s", 30_000], ["2m", 120_000], ["1h", 3_600_000], ["1500ms", 1500], [
          "90",
          90_000
        ], ["2.5m", 150_000]] as const
      ) {
        assert.strictEqual(Duration.toMillis(yield* parseTimeout(text)), millis, text)
      }
      for (const text of ["0", "0s", "abc", "-5", "25h", "5 minutes", ""]) {
        const error = yield* Effect.flip(parseTimeout(text))
        assert.isTrue(ValidationError.isInvalidValue(error), text)
      }
    }))
})

describe("tmdb-auth against a hostile server", () => {
  const password = `Hunter2&"QZX7V3"`
  /** Answers the login flow; `account` and `login` say how the account and the password step answer. */
  const hostile = (answers: { readonly login: string; readonly loginStatus: number; readonly account: string }) =>
    serve((request, response) => {
      const [status, body] = request.url.startsWith("/3/authentication/token/new")
        ? [200, JSON.stringify({ success: true, request_token: "a".repeat(40), expires_at: "2030-01-01 00:00:00 UTC" })]
        : request.url.startsWith("/3/authentication/token/validate_with_login")
        ? [answers.loginStatus, answers.login]
        : request.url.startsWith("/3/authentication/session/new")
        ? [200, JSON.stringify({ success: true, session_id: "b".repeat(40) })]
        : [200, answers.account]
      response.writeHead(status, { "content-type": "application/json" })
      response.end(body)
    })

  const login = (baseUrl: string, json: boolean) =>
    Effect.gen(function*() {
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "tmdb-cli-"))),
        (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
      )
      return yield* tmdbAuth(["login", "--password", "--username", "jo", ...(json ? ["--json"] : [])], {
        TMDB_API_KEY: TmdbSimulator.apiKey,
        TMDB_BASE_URL: baseUrl,
        TMDB_AUTH_STORE: Path.join(dir, "session.json"),
        XDG_CONFIG_HOME: dir,
        TMDB_PASSWORD: password
      })
    })

  it.scoped("login --password never prints the password a server echoes back", () =>
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
        login: JSON.stringify({ success: true, request_token: "a".repeat(40), expires_at: "2030-01-01 00:00:00 UTC" }),
        account: JSON.stringify({
          id: 7,
          name: "",
          username: `you are ${password.toUpperCase()}`,
          include_adult: false,
          iso_639_1: "en",
          iso_3166_1: "US",
          avatar: { gravatar: { hash: "" }, tmdb: { avatar_path: null } }
        })
      })
      for (const json of [false, true]) {
        const refused = yield* login(echoing, json)
        assert.strictEqual(refused.code, 3, refused.stderr)
        const shown = `${refused.stdout}${refused.stderr}`
        assert.include(shown, "Invalid username and/or password: You did not provide a valid login.")
        assert.notInclude(shown.toUpperCase(), "QZX7V3")
        const named = yield* login(asName, json)
        assert.strictEqual(named.code, 0, named.stderr)
        assert.include(named.stdout, "<withheld")
        assert.notInclude(`${named.stdout}${named.stderr}`.toUpperCase(), "QZX7V3")
      }
    }), 30_000)

  it.scoped(
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
                return send(
                  200,
                  JSON.stringify({
                    success: true,
                    request_token: "a".repeat(40),
                    expires_at: "2030-01-01 00:00:00 UTC"
                  })
                )(response)
              }
              const echo = `${request.method} ${request.url}\n${request.body}`
              shapes[shape]!(spellings[spelling]!(echo))(response)
            })
            const dir = yield* Effect.acquireRelease(
              Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "tmdb-cli-"))),
              (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
            )
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
