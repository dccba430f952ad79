/**
 * The `tmdb-auth` CLI end to end: spawned as a process against the simulator served on loopback
 * by this test process. `src/node/cli.ts` is bundled once with esbuild (what `tsup` builds it
 * with), because starting a bundle takes ~0.2 s where `node --import tsx` takes over 1 s.
 */
import { FetchHttpClient } from "@effect/platform"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { build } from "esbuild"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { TmdbConfig } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { serve } from "./utils/hostileServer.js"

const root = fileURLToPath(new URL("..", import.meta.url))

interface Result {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** The environment without any TMDB_* variable of the machine running the tests. */
const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith("TMDB_") && name !== "XDG_CONFIG_HOME")
)

/** `src/node/cli.ts` as one ESM file, built once per run. */
let bundled: Promise<string> | undefined
const buildBundle = async () => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "tmdb-cli-bundle-"))
  const outfile = Path.join(dir, "tmdb-auth.mjs")
  await build({
    entryPoints: [Path.join(root, "src/node/cli.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    logLevel: "error"
  })
  process.once("exit", () => Fs.rmSync(dir, { recursive: true, force: true }))
  return outfile
}
const bundle = Effect.promise(() => bundled ??= buildBundle())

const tmdbAuth = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>,
  onStderr: (text: string) => void = () => undefined
) =>
  Effect.flatMap(bundle, (cli) =>
    Effect.async<Result>((resume) => {
      const child = spawn(process.execPath, [cli, ...args], {
        cwd: root,
        env: { ...baseEnv, ...env },
        stdio: ["ignore", "pipe", "pipe"]
      })
      let stdout = ""
      let stderr = ""
      child.stdout.on("data", (chunk: Buffer) => void (stdout += chunk.toString("utf8")))
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8")
        onStderr(stderr)
      })
      child.on("close", (code) => resume(Effect.succeed({ code, stdout, stderr })))
      return Effect.sync(() => void child.kill())
    }))

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

    it.scoped(
      "login in the browser: the approval URL is printed, a scripted browser approves it",
      () =>
        Effect.gen(function*() {
          const simulator = yield* TmdbSimulator.TmdbSimulator
          const { env } = yield* setup
          yield* simulator.scriptApproval({ decision: "approve" })
          let browser: Promise<string> | undefined
          const login = yield* tmdbAuth(["login", "--no-open", "--json"], env, (stderr) => {
            const url = /http:\/\/127\.0\.0\.1:\d+\/authenticate\/\S+/.exec(stderr)?.[0]
            if (url !== undefined && browser === undefined) browser = fetch(url).then((r) => r.text())
          })
          assert.strictEqual(login.code, 0, login.stderr)
          assert.deepStrictEqual(JSON.parse(login.stdout), {
            ok: true,
            kind: "session",
            username: "demo",
            account_id: 1000
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
            "tmdb-auth: No TMDB credentials: set TMDB_BEARER_TOKEN (API Read Access Token) or TMDB_API_KEY (v3 API key)\n"
          )
          assert.strictEqual(notLoggedIn.code, 4)
          assert.include(notLoggedIn.stderr, "Not logged in")
        }),
      30_000
    )
  }
)

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
})
