/**
 * `tmdb-auth` and the session file against the other users of the machine (issue 26's CLI
 * reproductions): a link another user planted in a shared directory is refused (exit 6, naming
 * it, nothing sent to TMDB), and a path in which nothing can be made fails at once.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { TmdbConfig } from "tmdb-effect"
import { TmdbSimulator } from "tmdb-effect/testing"
import { asOtherUser, describeSecondUser, otherUid } from "../../effect4/test/utils/secondUser.js"
import { oneObject, tmdbAuth } from "./utils/cli.js"

/** A fresh directory, 0755 so that the other user may walk into it. */
const base = Effect.acquireRelease(
  Effect.sync(() => {
    const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "tmdb-file-"))
    Fs.chmodSync(dir, 0o755)
    return dir
  }),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

const mkdir = (path: string, mode: number) => {
  Fs.mkdirSync(path)
  Fs.chmodSync(path, mode) // past the umask
  return path
}

/** Linux's /proc: a directory in which nothing can be made. */
const hasProc = Fs.existsSync("/proc/self")

describeSecondUser(`tmdb-auth and the session file against another user (uid ${otherUid})`, () => {
  layer(Layer.mergeAll(TmdbSimulator.layerServer(), FetchHttpClient.layer), { excludeTestServices: true })(
    "tmdb-auth",
    (it) => {
      it.effect(
        "whoami and logout through a planted link: exit 6 naming the link, nothing sent to TMDB",
        () =>
          Effect.gen(function*() {
            const simulator = yield* TmdbSimulator.TmdbSimulator
            const { baseUrl } = yield* TmdbConfig.TmdbConfig
            const dir = yield* base
            const real = Path.join(mkdir(Path.join(dir, "mine"), 0o700), "session.json")
            const planted = Path.join(mkdir(Path.join(dir, "shared"), 0o1777), "session.json")
            const env = { TMDB_API_KEY: TmdbSimulator.apiKey, TMDB_BASE_URL: baseUrl, XDG_CONFIG_HOME: dir }
            const { password, username } = TmdbSimulator.defaultAccount
            const loggedIn = yield* tmdbAuth(["login", "--password", "--username", username, "--store", real], {
              ...env,
              TMDB_PASSWORD: password
            })
            assert.strictEqual(loggedIn.code, 0, loggedIn.stderr)
            yield* asOtherUser("fs.symlinkSync(args[0], args[1])", real, planted)
            for (const args of [["whoami", "--json", "--store", planted], ["--json", "--store", planted, "logout"]]) {
              const result = yield* tmdbAuth(args, env)
              assert.strictEqual(result.code, 6, result.stdout)
              const printed = oneObject(result) as { error: string; message: string }
              assert.strictEqual(printed.error, "InsecureSessionFile")
              assert.include(printed.message, `it is a symbolic link that belongs to user ${otherUid}`)
              assert.include(printed.message, `rm ${planted}`)
              assert.notInclude(result.stdout, "demo")
            }
            assert.deepStrictEqual((yield* simulator.requests).filter((r) => r.method === "DELETE"), [])
            assert.strictEqual((yield* simulator.sessions).length, 1)
          }),
        60_000
      )
    }
  )
})

describe("tmdb-auth guest --store /proc/self/nope/s.json", () => {
  layer(Layer.mergeAll(TmdbSimulator.layerServer(), FetchHttpClient.layer), { excludeTestServices: true })(
    "the issue's reproduction",
    (it) => {
      it.effect.skipIf(!hasProc)("exits 6 at once with a SessionStoreError, never spins", () =>
        Effect.gen(function*() {
          const { baseUrl } = yield* TmdbConfig.TmdbConfig
          const dir = yield* base
          const result = yield* tmdbAuth(["guest", "--json", "--store", "/proc/self/nope/s.json"], {
            TMDB_API_KEY: TmdbSimulator.apiKey,
            TMDB_BASE_URL: baseUrl,
            XDG_CONFIG_HOME: dir
          }, { killAfter: 15_000 })
          assert.isFalse(result.killed, "still running after 15 s")
          assert.strictEqual(result.code, 6, result.stdout + result.stderr)
          const printed = oneObject(result) as { error: string; message: string }
          assert.strictEqual(printed.error, "SessionStoreError")
          assert.match(printed.message, /ENOENT \(mkdir \/proc\/\d+\/nope\)/)
        }))
    }
  )
})
