/**
 * `tmdb-auth` as a person uses it: in a real pseudo-terminal, made by util-linux `script` (no
 * native module needed), with keys typed as the prompts appear.
 *
 * Needs `/usr/bin/script` (Debian's `bsdutils`, on most systems already). Without it the suite is
 * skipped with a notice, unless REQUIRE_TERMINAL=1 (as .ci/run sets): then it fails.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { TmdbConfig } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { baseEnv, bundle, root } from "./utils/cli.js"

const SCRIPT = "/usr/bin/script"
const installed = Fs.existsSync(SCRIPT)
const required = process.env["REQUIRE_TERMINAL"] === "1"
if (!installed && !required) {
  console.warn(
    `Skipping the pseudo-terminal test: no ${SCRIPT}. Install it with \`apt-get install -y bsdutils\` (Debian/Ubuntu).`
  )
}

interface Typed {
  readonly code: number | null
  /** Everything the terminal showed, prompts and echo included. */
  readonly screen: string
  /** What the screen showed from the moment each key string was typed until the next was (or the end). */
  readonly after: ReadonlyArray<string>
}

/**
 * Runs `command` in a pseudo-terminal and types each `keys` entry once the screen shows its
 * `after` text (and nothing typed before it is still unanswered). `type` may be several strings,
 * typed one at a time, as a person types a password key by key.
 */
const inTerminal = (
  command: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>,
  keys: ReadonlyArray<{ readonly after: string; readonly type: string | ReadonlyArray<string> }>
) =>
  Effect.callback<Typed>((resume) => {
    const quoted = command.map((word) => `'${word.replace(/'/g, "'\\''")}'`).join(" ")
    // -q: no banner; -e: exit with the command's code; -f: flush as it goes; the log is discarded.
    const child = spawn(SCRIPT, ["-q", "-e", "-f", "-c", quoted, "/dev/null"], {
      cwd: root,
      env: { ...baseEnv, TERM: "xterm-256color", ...env },
      stdio: ["pipe", "pipe", "pipe"]
    })
    let screen = ""
    let next = 0
    let from = 0
    const marks: Array<number> = []
    const typeAll = (strokes: ReadonlyArray<string>) => {
      const [first, ...rest] = strokes
      if (first === undefined) return
      marks.push(screen.length)
      child.stdin.write(first)
      setTimeout(() => typeAll(rest), 60)
    }
    child.stdout.on("data", (chunk: Buffer) => {
      screen += chunk.toString("utf8")
      const key = keys[next]
      const at = key === undefined ? -1 : screen.indexOf(key.after, from)
      if (key !== undefined && at >= 0) {
        next++
        from = at + key.after.length
        // typed as a person would: after the prompt has drawn itself
        setTimeout(() => typeAll(typeof key.type === "string" ? [key.type] : key.type), 100)
      }
    })
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000)
    child.on("close", (code) => {
      clearTimeout(timer)
      child.stdin.end()
      const after = marks.map((mark, i) => screen.slice(mark, marks[i + 1] ?? screen.length))
      resume(Effect.succeed({ code, screen, after }))
    })
    return Effect.sync(() => child.kill("SIGKILL"))
  })

const setup = Effect.gen(function*() {
  const { baseUrl } = yield* TmdbConfig.TmdbConfig
  const dir = yield* Effect.acquireRelease(
    Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "tmdb-tty-"))),
    (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
  )
  const env = {
    TMDB_API_KEY: TmdbSimulator.apiKey,
    TMDB_BASE_URL: baseUrl,
    TMDB_AUTH_STORE: Path.join(dir, "session.json"),
    XDG_CONFIG_HOME: dir
  }
  return { dir, env, store: env.TMDB_AUTH_STORE }
})

describe.skipIf(!installed && !required)("with a pseudo-terminal", () => {
  it.effect("help in a terminal has colour, and none with NO_COLOR", () =>
    Effect.gen(function*() {
      const cli = yield* bundle
      const coloured = yield* inTerminal([process.execPath, cli, "--help"], {}, [])
      const plain = yield* inTerminal([process.execPath, cli, "--help"], { NO_COLOR: "1" }, [])
      assert.strictEqual(coloured.code, 0)
      assert.include(coloured.screen, "\u001b[")
      assert.strictEqual(plain.code, 0)
      assert.include(plain.screen, "EXIT CODES")
      assert.notInclude(plain.screen, "\u001b[")
    }))

  layer(Layer.mergeAll(TmdbSimulator.layerServer(), FetchHttpClient.layer), { excludeTestServices: true })(
    "tmdb-auth in a terminal",
    (it) => {
      it.effect("login --password: the username and password are typed at prompts; nothing at all is echoed for the password", () =>
        Effect.gen(function*() {
          const { env, store } = yield* setup
          const { password, username } = TmdbSimulator.defaultAccount
          const cli = yield* bundle
          const typed = yield* inTerminal([process.execPath, cli, "login", "--password"], env, [
            { after: "TMDB username", type: `${username}\r` },
            // key by key, as a person types: each key's redraw is checked below
            { after: "TMDB password", type: [...password.split(""), "\r"] }
          ])
          assert.strictEqual(typed.code, 0, typed.screen)
          assert.include(typed.screen, "Logged in as demo (account 1000).")
          assert.include(typed.screen, "\u001b[", "prompts in a terminal are drawn in colour")
          // the username is echoed as typed; the password not at all: no character, no `*`, no count
          assert.include(typed.screen, username)
          assert.notInclude(typed.screen, password)
          assert.notInclude(typed.screen, "*")
          const whileTyping = typed.after.slice(1, 1 + password.length)
          assert.strictEqual(whileTyping.length, password.length)
          for (const shown of whileTyping) {
            // a prompt redrawn as is, or nothing: never anything that grows with the password
            assert.notMatch(shown.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ""), /[^\s?›>:A-Za-z]/, JSON.stringify(shown))
          }
          const redraws = new Set(whileTyping.map((shown) => shown.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "")))
          assert.isAtMost(redraws.size, 1, "the screen changed with the password's length")
          assert.isTrue(Fs.existsSync(store))
        }))

      it.effect("login --password-stdin from a terminal exits 2 at once instead of waiting unprompted", () =>
        Effect.gen(function*() {
          const { env, store } = yield* setup
          const cli = yield* bundle
          const typed = yield* inTerminal(
            [process.execPath, cli, "login", "--password-stdin", "--username", "demo"],
            env,
            []
          )
          assert.strictEqual(typed.code, 2, typed.screen)
          assert.include(typed.screen, "--password-stdin reads a pipe, and stdin is a terminal")
          assert.isFalse(Fs.existsSync(store))
        }))

      it.effect("with --json, prompts are on the terminal (stderr) and stdout holds only the JSON object", () =>
        Effect.gen(function*() {
          const { dir, env } = yield* setup
          const { password, username } = TmdbSimulator.defaultAccount
          const cli = yield* bundle
          const out = Path.join(dir, "out.json")
          const typed = yield* inTerminal(
            ["sh", "-c", `exec "$0" "$1" --json login --password > "$2"`, process.execPath, cli, out],
            env,
            [{ after: "TMDB username", type: `${username}\r` }, { after: "TMDB password", type: `${password}\r` }]
          )
          assert.strictEqual(typed.code, 0, typed.screen)
          assert.include(typed.screen, "TMDB password")
          assert.deepStrictEqual(JSON.parse(Fs.readFileSync(out, "utf8")), {
            ok: true,
            kind: "session",
            username,
            account_id: 1000,
            exitCode: 0
          })
        }))

      it.effect("Ctrl-C at the password prompt exits 130 with one line, and nothing is stored", () =>
        Effect.gen(function*() {
          const { dir, env } = yield* setup
          const cli = yield* bundle
          const typed = yield* inTerminal([process.execPath, cli, "login", "--password", "--username", "demo"], env, [
            { after: "TMDB password", type: "dem\u0003" }
          ])
          assert.strictEqual(typed.code, 130, typed.screen)
          assert.match(typed.screen, /\r?\ntmdb-auth: Interrupted\r?\n$/)
          assert.strictEqual(typed.screen.split("tmdb-auth:").length, 2)
          assert.deepStrictEqual(Fs.readdirSync(dir), [])
        }))
    }
  )
})
