/**
 * The `tmdb-auth` CLI end to end: spawned as a process (bundled, as it ships) against the
 * simulator served on loopback by this test process, with stdin not a terminal. The prompts in
 * a real terminal are in `cliTerminal.test.ts`; a hostile server's answers in `hostile.test.ts`.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { FetchHttpClient } from "effect/http"
import type { ChildProcess } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { TmdbConfig } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { freePort } from "../../effect4/test/utils/ports.js"
import { ExitCode, exitCodes } from "../src/ExitCode.js"
import { parseTimeout } from "../src/timeout.js"
import { oneObject, packageVersion, tmdbAuth } from "./utils/cli.js"

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

const storedSession = (session_id: string) =>
  JSON.stringify({ kind: "session", session_id, created_at: "2026-01-01T00:00:00.000Z" })

// Last: layer() swaps the methods of the shared `it` for its own.
describe("tmdb-auth --help, --version, --timeout", () => {
  it.effect("--help: the commands, their flags, the exit codes with their tags; no filler; no ANSI codes in a pipe", () =>
    Effect.gen(function*() {
      const [help, bare, loginHelp, noColor] = yield* Effect.all([
        tmdbAuth(["--help"], {}),
        tmdbAuth([], {}),
        tmdbAuth(["login", "--help"], {}),
        tmdbAuth(["whoami", "--store", "guest", "-h"], { NO_COLOR: "1" })
      ], { concurrency: "unbounded" })
      for (const result of [help, bare, loginHelp, noColor]) {
        assert.strictEqual(result.code, 0, result.stderr)
        assert.strictEqual(result.stderr, "")
        assert.notInclude(result.stdout, "\u001b", "ANSI codes in help written to a pipe")
        assert.include(result.stdout, "EXIT CODES")
        // generic filler effect/cli 3 put under every option
        for (const filler of ["A true or false value", "This setting is optional", "A user-defined piece of text"]) {
          assert.notInclude(result.stdout, filler)
        }
      }
      assert.strictEqual(bare.stdout, help.stdout, "no arguments: the help")
      for (const command of ["validate", "guest", "login", "whoami", "logout"]) {
        assert.match(help.stdout, new RegExp(`^  ${command}  +\\S`, "m"))
      }
      assert.match(loginHelp.stdout, /^USAGE\n {2}tmdb-auth login \[flags\]$/m)
      assert.match(loginHelp.stdout, /^ {2}--password-stdin +As --password, reading the password from stdin/m)
      assert.match(loginHelp.stdout, /^ {2}--timeout duration +How long to wait/m)
      assert.match(loginHelp.stdout, /^ {2}--json +Print exactly one JSON object/m)
      assert.include(loginHelp.stdout, "tmdb-auth login --no-open --timeout 10m")
      assert.notInclude(loginHelp.stdout, "whoami --json")
      // the command named first, not a later word that happens to name one
      assert.include(noColor.stdout, "Show who the stored session belongs to")
      assert.notInclude(noColor.stdout, "Create a guest session")
      // every exit code, with the tags that end with it
      for (const code of exitCodes) {
        assert.match(help.stdout, new RegExp(`^ *${code}  \\S`, "m"), `exit code ${code} not in --help`)
      }
      assert.match(help.stdout, /^ +InvalidApiKey, InvalidLogin, /m)
    }))

  it.effect("--version prints package.json's version, stamped in by the build", () =>
    Effect.gen(function*() {
      for (const args of [["--version"], ["whoami", "--version"]]) {
        const result = yield* tmdbAuth(args, {})
        assert.strictEqual(result.code, 0, result.stderr)
        assert.strictEqual(result.stdout, `${packageVersion}\n`)
      }
    }))

  it.effect("--json with no command is one JSON object (exit 2), not the help", () =>
    Effect.gen(function*() {
      for (const args of [["--json"], ["--json", "--store", "/tmp/x.json"]]) {
        const result = yield* tmdbAuth(args, {})
        assert.strictEqual(result.code, ExitCode.usage, result.stderr)
        assert.deepStrictEqual(oneObject(result), {
          ok: false,
          error: "InvalidArguments",
          message: "no command given (tmdb-auth --help lists the commands and options)",
          exitCode: ExitCode.usage
        })
      }
      const help = yield* tmdbAuth(["--json", "--help"], {})
      assert.strictEqual(help.code, 0)
      assert.include(help.stdout, "EXIT CODES")
    }))

  it.effect("stdout closed by its reader (EPIPE): the run ends with its own exit code, no crash on stderr", () =>
    Effect.gen(function*() {
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "tmdb-cli-"))
      const env = { TMDB_AUTH_STORE: Path.join(dir, "session.json"), XDG_CONFIG_HOME: dir }
      const [help, whoami] = yield* Effect.all([
        tmdbAuth(["--help"], env, { closeStdout: true }),
        tmdbAuth(["--json", "whoami"], env, { closeStdout: true })
      ], { concurrency: "unbounded" })
      Fs.rmSync(dir, { recursive: true, force: true })
      assert.strictEqual(help.code, 0, help.stderr)
      assert.strictEqual(help.stderr, "")
      assert.strictEqual(whoami.code, ExitCode.notLoggedIn, whoami.stderr)
      assert.strictEqual(whoami.stderr, "")
    }))

  it("--timeout takes a duration, and bare seconds as before", () => {
    for (
      const [text, millis] of [["30s", 30_000], ["2m", 120_000], ["1h", 3_600_000], ["1500ms", 1500], ["90", 90_000], [
        "2.5m",
        150_000
      ]] as const
    ) {
      assert.deepStrictEqual(
        Option.map(parseTimeout(text), (d) => d.toJSON()),
        Option.some({ _id: "Duration", _tag: "Millis", millis }),
        text
      )
    }
    for (const text of ["0", "0s", "abc", "-5", "25h", "5 minutes", ""]) {
      assert.isTrue(Option.isNone(parseTimeout(text)), text)
    }
  })
})

layer(Layer.mergeAll(TmdbSimulator.layerServer(), FetchHttpClient.layer), { excludeTestServices: true })(
  "tmdb-auth",
  (it) => {
    it.effect("login --password (TMDB_PASSWORD) → whoami --json → logout", () =>
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
        assert.deepInclude(oneObject(whoami), { ok: true, kind: "session", username: "demo", account_id: 1000 })
        assert.notInclude(whoami.stdout, session!.session_id)

        const logout = yield* tmdbAuth(["logout"], env)
        assert.strictEqual(logout.code, 0, logout.stderr)
        assert.include(logout.stdout, "Logged out")
        assert.isFalse(Fs.existsSync(store))
        assert.deepStrictEqual(yield* simulator.sessions, [])
      }))

    it.effect("global flags anywhere on the line: --json and --store before the command", () =>
      Effect.gen(function*() {
        const { env, store } = yield* setup
        const { TMDB_AUTH_STORE: _, ...noStore } = env
        const guest = yield* tmdbAuth(["--json", "--store", store, "guest"], noStore)
        assert.deepInclude(oneObject(guest), { ok: true, kind: "guest" })
        assert.isTrue(Fs.existsSync(store))
        const [before, after, mixed] = yield* Effect.all([
          tmdbAuth(["--json", "whoami"], env),
          tmdbAuth(["whoami", "--json"], env),
          tmdbAuth(["--store", store, "whoami", "--json"], noStore)
        ], { concurrency: "unbounded" })
        assert.deepInclude(oneObject(before), { ok: true, kind: "guest", username: null })
        assert.deepStrictEqual(oneObject(after), oneObject(before))
        assert.deepStrictEqual(oneObject(mixed), oneObject(before))
      }))

    it.effect("a second login ends the session it replaces at TMDB", () =>
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
      }))

    it.effect("guest in place of a stored session ends that session at TMDB", () =>
      Effect.gen(function*() {
        const simulator = yield* TmdbSimulator.TmdbSimulator
        const { env } = yield* setup
        const { password, username } = TmdbSimulator.defaultAccount
        const login = yield* tmdbAuth(["login", "--password", "--username", username], {
          ...env,
          TMDB_PASSWORD: password
        })
        assert.strictEqual(login.code, 0, login.stderr)
        const stored = JSON.parse(Fs.readFileSync(env.TMDB_AUTH_STORE, "utf8")).session_id as string
        const isLive = Effect.map(simulator.sessions, (all) => all.some((s) => s.session_id === stored))
        assert.isTrue(yield* isLive)
        const guest = yield* tmdbAuth(["guest"], env)
        assert.strictEqual(guest.code, 0, guest.stderr)
        assert.isFalse(yield* isLive, "the replaced session is still live at TMDB")
        assert.strictEqual(JSON.parse(Fs.readFileSync(env.TMDB_AUTH_STORE, "utf8")).kind, "guest")
      }))

    it.effect("login in the browser: the approval URL is printed, a scripted browser approves it", () =>
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
        assert.deepStrictEqual(oneObject(login), {
          ok: true,
          kind: "session",
          username: "demo",
          account_id: 1000,
          exitCode: 0
        })
        assert.include(login.stderr, "Open this URL in a browser")
        assert.include(yield* Effect.promise(() => browser ?? Promise.resolve("")), "You can close this window")
      }))

    it.effect(
      "logout: already invalid at TMDB → removed, exit 0; corrupted → removed, loggedOut false and a warning; TMDB failing → kept, exit 5",
      () =>
        Effect.gen(function*() {
          const simulator = yield* TmdbSimulator.TmdbSimulator
          const invalid = yield* setup
          Fs.writeFileSync(invalid.store, storedSession("5".repeat(40)), { mode: 0o600 })
          const corrupted = yield* setup
          Fs.writeFileSync(corrupted.store, "{\"kind\":\"sess", { mode: 0o600 })
          const failing = yield* setup
          Fs.writeFileSync(failing.store, storedSession("7".repeat(40)), { mode: 0o600 })

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
          const already = yield* tmdbAuth(["logout", "--json"], invalid.env)
          assert.strictEqual(already.code, 0, already.stderr)
          assert.deepInclude(oneObject(already), { outcome: "AlreadyLoggedOut", loggedOut: true, kind: "session" })
          assert.isFalse(Fs.existsSync(invalid.store))

          // the issue: a corrupted file said loggedOut: true while stderr said TMDB was not told
          const repaired = yield* tmdbAuth(["logout", "--json"], corrupted.env)
          assert.strictEqual(repaired.code, 0, repaired.stderr)
          assert.deepInclude(oneObject(repaired), { ok: true, outcome: "CorruptedRemoved", loggedOut: false })
          assert.match(
            repaired.stderr,
            /^tmdb-auth: warning: .*session\.json was corrupted \(not valid JSON\) and is removed; a session it held could not be ended at TMDB\n$/
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
      60_000
    )

    it.effect(
      "logout: TMDB unreachable or rate limiting past the retries → kept, exit 5; gone (6, 17, 34) → removed, exit 0",
      () =>
        Effect.gen(function*() {
          const simulator = yield* TmdbSimulator.TmdbSimulator
          const stored = storedSession("7".repeat(40))
          const unreachable = yield* setup
          Fs.writeFileSync(unreachable.store, stored, { mode: 0o600 })
          const limited = yield* setup
          Fs.writeFileSync(limited.store, stored, { mode: 0o600 })
          const port = yield* freePort
          const [refused, rateLimited] = yield* Effect.all([
            tmdbAuth(["logout"], { ...unreachable.env, TMDB_BASE_URL: `http://127.0.0.1:${port}` }),
            Effect.andThen(
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
            assert.deepInclude(oneObject(result), { outcome: "AlreadyLoggedOut", loggedOut: true })
            assert.isFalse(Fs.existsSync(gone.store))
          }
        }),
      60_000
    )

    it.effect("no prompt without a terminal: a missing username or password is exit 2 at once, naming how to give it", () =>
      Effect.gen(function*() {
        const { env, store } = yield* setup
        const [noPassword, noUsername, noUsernameJson] = yield* Effect.all([
          tmdbAuth(["login", "--password", "--username", "demo"], env),
          tmdbAuth(["login", "--password"], { ...env, TMDB_PASSWORD: "x" }),
          tmdbAuth(["login", "--password", "--json"], { ...env, TMDB_PASSWORD: "x" })
        ], { concurrency: "unbounded" })
        assert.strictEqual(noPassword.code, 2)
        assert.strictEqual(
          noPassword.stderr,
          "tmdb-auth: No password, and stdin is not a terminal to prompt on: pipe it with --password-stdin or set TMDB_PASSWORD\n"
        )
        assert.strictEqual(noUsername.code, 2)
        assert.include(noUsername.stderr, "No username, and stdin is not a terminal to prompt on")
        assert.deepInclude(oneObject(noUsernameJson), { error: "MissingInput" })
        assert.isFalse(Fs.existsSync(store))
      }))

    it.effect("a usage error with --password quotes none of the words (one may be the password)", () =>
      Effect.gen(function*() {
        const { env } = yield* setup
        const secret = "Tr0ub4dor&3"
        for (
          const args of [["login", `--password=${secret}`], ["login", "--password", secret], [
            "--json",
            "login",
            "--password-stdin",
            secret
          ]]
        ) {
          const result = yield* tmdbAuth(args, env)
          assert.strictEqual(result.code, 2, args.join(" "))
          assert.include(result.stdout + result.stderr, "<withheld: they include --password")
          assert.notInclude(result.stdout + result.stderr, secret)
        }
      }))

    it.effect("--password-stdin: the password from a pipe; no username, too long, wrong", () =>
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
      }))

    it.effect(
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
            const object = oneObject(result)
            assert.deepInclude(object, { ok: false, error }, args.join(" "))
            assert.strictEqual(result.stderr, "", `${args.join(" ")} wrote on stderr`)
            // a bad setting names where the CLI's user gave it
            if (error === "InvalidConfig") {
              assert.include(String(object.message), "(set with --base-url or TMDB_BASE_URL)")
            }
            if (error === "ConfigError") {
              assert.match(String(object.message), /^No TMDB credentials: set TMDB_BEARER_TOKEN/)
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
              ["logout", { outcome: "LoggedOut", loggedOut: true, kind: "guest" }],
              ["logout", { outcome: "NothingStored", loggedOut: false, kind: null }]
            ] as const
          ) {
            const result = yield* tmdbAuth([command, "--json"], env)
            assert.strictEqual(result.code, 0, result.stderr)
            assert.deepInclude(oneObject(result), fields, command)
          }
        }),
      90_000
    )

    it.effect(
      "Ctrl-C (SIGINT), SIGTERM and SIGHUP while waiting for the browser: exit 130, one line or one JSON object, nothing left behind",
      () =>
        Effect.gen(function*() {
          for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
            for (const json of [false, true]) {
              const { env } = yield* setup
              const interruptAtUrl = (stderr: string, child: ChildProcess) => {
                if (stderr.includes("/authenticate/") && !child.killed) child.kill(signal)
              }
              const login = yield* tmdbAuth(["login", "--no-open", ...(json ? ["--json"] : [])], env, {
                onStderr: interruptAtUrl
              })
              const label = `${signal}${json ? " --json" : ""}`
              assert.strictEqual(login.code, ExitCode.interrupted, `${label}: ${login.signal} ${login.stderr}`)
              if (json) {
                assert.deepStrictEqual(oneObject(login), {
                  ok: false,
                  error: "Interrupted",
                  message: "Interrupted",
                  exitCode: 130
                })
              } else {
                assert.strictEqual(login.stdout, "", label)
                assert.match(login.stderr, /\n\ntmdb-auth: Interrupted\n$/, label)
                assert.strictEqual(login.stderr.split("tmdb-auth:").length, 2, label)
              }
              assert.deepStrictEqual(Fs.readdirSync(env.XDG_CONFIG_HOME), [], `${label}: a file was left behind`)
            }
          }
        }),
      90_000
    )
  }
)
