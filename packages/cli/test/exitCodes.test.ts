/**
 * The one exit-code table (src/ExitCode.ts): the compiler checks it against the tags the
 * commands can fail with (`satisfies`); this checks what the compiler cannot — that those tags
 * are every error the library and its Node door define, so none falls through to "Unexpected" —
 * and that the compiler check itself bites: a table without one tag does not compile.
 */
import { assert, describe, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { SessionStore, TmdbError } from "tmdb-effect"
import { BrowserLogin } from "tmdb-effect/node"
import { ExitCode, exitCodeOf, exitCodes, meanings, tagsOf } from "../src/ExitCode.js"
import { root } from "./utils/cli.js"

const tagOf = (
  errorClass: unknown
) => (errorClass as { readonly fields: { readonly _tag: { readonly ast: { readonly literal: string } } } })

describe("the exit-code table", () => {
  it("has a code for every error the library, its Node door and the CLI define", () => {
    const library = TmdbError.TmdbError.members.map((member) => tagOf(member).fields._tag.ast.literal)
    assert.isAtLeast(library.length, 17)
    const node = [
      new SessionStore.CorruptedSession({ location: "x", reason: "y" })._tag,
      new SessionStore.SessionStoreError({ operation: "load", location: "x", reason: "y" })._tag,
      new BrowserLogin.LoginDenied()._tag,
      new BrowserLogin.LoginTimeout({ timeout: "5m" })._tag,
      new BrowserLogin.CallbackServerError({ port: 0, reason: "y" })._tag,
      new SessionStore.InsecureSessionFile({ path: "x", problem: { _tag: "Mode", mode: "0644" } })._tag
    ]
    const own = [
      "NotLoggedIn",
      "MissingInput",
      "LogoutIncomplete",
      "InvalidArguments",
      "ConfigError",
      "Interrupted",
      "Unexpected"
    ]
    assert.sameMembers(Object.keys(exitCodeOf), [...new Set([...library, ...node, ...own])])
  })

  it("gives every code one meaning, and every code but 0 a tag", () => {
    assert.deepStrictEqual(exitCodes, [0, 1, 2, 3, 4, 5, 6, 130])
    assert.deepStrictEqual(Object.keys(meanings).map(Number).sort((a, b) => a - b), [...exitCodes])
    for (const code of exitCodes) {
      if (code !== ExitCode.ok) assert.isAbove(tagsOf(code).length, 0, String(code))
    }
    assert.strictEqual(exitCodeOf.Interrupted, 130)
  })

  it("is checked complete by the compiler: the table without a tag does not compile", () => {
    const dir = Path.join(root, ".tmp", "exitCodes")
    Fs.mkdirSync(dir, { recursive: true })
    const source = Fs.readFileSync(Path.join(root, "src/ExitCode.ts"), "utf8")
    const without = source.replace(/^ {2}LoginTimeout: ExitCode\.refused,\n/m, "")
    assert.notStrictEqual(without, source)
    // beside the real one, so that its imports resolve the same
    const probe = Path.join(root, "src", `ExitCode.probe-${process.pid}.ts`)
    Fs.writeFileSync(probe, without)
    try {
      const run = () =>
        execFileSync(Path.join(root, "node_modules/.bin/tsc"), ["--noEmit", "-p", "tsconfig.json"], {
          cwd: root,
          encoding: "utf8",
          stdio: "pipe"
        })
      const output = (() => {
        try {
          run()
          return ""
        } catch (error) {
          return String((error as { stdout?: string }).stdout)
        }
      })()
      assert.include(output, `ExitCode.probe-${process.pid}.ts`)
      assert.include(output, "LoginTimeout")
    } finally {
      Fs.rmSync(probe, { force: true })
    }
  }, 120_000)
})
