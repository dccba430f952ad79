/**
 * What ships: `dist/` as `npm run build` builds it (bundle.ts) — the bundle, one minified file with
 * the version stamped in, no import of anything but Node's own modules (each when first used), and
 * one copy of Effect in it although 2.x's sources sit beside their own `node_modules/effect`; and
 * the bin, which runs it with Node's compile cache on.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { build } from "esbuild"
import * as Fs from "node:fs"
import { builtinModules } from "node:module"
import * as Path from "node:path"
import { buildBin, define, library, loadedWhenCalled } from "../bundle.js"
import { packageVersion, root } from "./utils/cli.js"

const built = Path.join(root, ".tmp", "dist")

Fs.rmSync(built, { recursive: true, force: true })
// as `npm run build` builds it, into a folder of this test's own
const metafile = await buildBin(built)
const bin = Path.join(built, "tmdb-auth.cjs")
const text = Fs.readFileSync(Path.join(built, "cli.cjs"), "utf8")

describe("dist/", () => {
  it("is the bundle and the bin, an executable with a shebang that turns the compile cache on", () => {
    assert.deepStrictEqual(Fs.readdirSync(built).sort(), ["cli.cjs", "tmdb-auth.cjs"])
    const launcher = Fs.readFileSync(bin, "utf8")
    assert.match(launcher, /^#!\/usr\/bin\/env node\n/)
    assert.include(launcher, "enableCompileCache(")
    assert.include(launcher, "require(\"./cli.cjs\")")
    assert.strictEqual(Fs.statSync(bin).mode & 0o111, 0o111)
  })

  it("imports nothing but Node's own modules, each when first used: no dependencies", () => {
    const output = Object.values(metafile.outputs)[0]!
    // every import left in the file, as esbuild's metafile lists them
    for (const { external, path } of output.imports) {
      assert.isTrue(external, path)
      assert.include(builtinModules, path.replace(/^node:/, ""), path)
    }
    // and no built-in imported or required where the bundle starts: each loads when first read
    assert.notMatch(text, /\brequire\("/)
    for (const builtin of builtinModules) assert.notInclude(text, `from"${builtin}"`)
    assert.include(text, "process.getBuiltinModule(\"node:http\")")
  })

  it.effect("holds one copy of Effect: a key unique to one of its modules appears once (twice without the resolver)", () =>
    Effect.gen(function*() {
      // Context keys: one string per module instance
      const markers = ["\"effect/References/CurrentLogLevel\"", "\"effect/Scheduler\"", "\"effect/Fiber\""]
      const count = (bundleText: string, marker: string) => bundleText.split(marker).length - 1
      for (const marker of markers) assert.strictEqual(count(text, marker), 1, marker)
      // the same build without the resolver: the markers do count copies
      const twoCopies = yield* Effect.promise(() =>
        build({
          entryPoints: [Path.join(root, "src/main.ts")],
          bundle: true,
          platform: "node",
          format: "esm",
          write: false,
          define,
          logLevel: "silent",
          plugins: [{
            name: "library-only",
            setup: (b) => b.onResolve({ filter: /^tmdb-effect(\/|$)/ }, ({ path }) => ({ path: library(path)! }))
          }]
        })
      )
      const withoutResolver = twoCopies.outputFiles[0]!.text
      for (const marker of markers) assert.strictEqual(count(withoutResolver, marker), 2, marker)
    }))

  it.effect("stands in for each module loaded when called with exactly its exports", () =>
    Effect.gen(function*() {
      for (const [file, names] of Object.entries(loadedWhenCalled)) {
        const module = yield* Effect.promise(() => import(file) as Promise<Record<string, unknown>>)
        assert.deepStrictEqual(Object.keys(module).sort(), [...names].sort(), file)
        for (const name of names) assert.isFunction(module[name])
      }
    }))

  it("has package.json's version stamped in", () => {
    assert.include(text, JSON.stringify(packageVersion))
    assert.notInclude(text, "TMDB_AUTH_VERSION")
  })
})
