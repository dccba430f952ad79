/**
 * `tmdb-effect/browser` bundles for the browser with no `node:` import anywhere in its graph
 * (effect included), bundled with esbuild (tsup's own copy) as a user's bundler would. A control
 * bundles a module of `tmdb-effect/node` the same way and finds its imports. And
 * `tmdb-effect/testing` in memory needs neither `@effect/platform-node` (an optional peer) nor a
 * Node module loaded up front: `node:http` is imported only when a served simulator starts.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import type * as Esbuild from "esbuild"
import { createRequire } from "node:module"

const root = new URL("..", import.meta.url).pathname
const esbuild: typeof Esbuild = createRequire(createRequire(import.meta.url).resolve("tsup"))("esbuild")

/** The `node:` imports in the browser bundle of `entry`, with who imports them (a bare built-in fails the build). */
const nodeImports = (entry: string) =>
  Effect.promise(async () => {
    const result = await esbuild.build({
      entryPoints: [entry],
      absWorkingDir: root,
      bundle: true,
      format: "esm",
      platform: "browser",
      // kept as imports, so the metafile says which module asks for them
      external: ["node:*"],
      write: false,
      metafile: true,
      logLevel: "silent"
    })
    const found = Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
      input.imports.filter((i) => i.path.startsWith("node:")).map((i) => `${file} → ${i.path}`)
    )
    return { found, inputs: Object.keys(result.metafile.inputs), code: result.outputFiles[0]?.text ?? "" }
  })

describe("tmdb-effect/browser bundles for the browser", () => {
  it.effect("no node: import in its graph or its output", () =>
    Effect.gen(function*() {
      const { code, found, inputs } = yield* nodeImports("src/browser/index.ts")
      assert.deepStrictEqual(found, [])
      assert.notMatch(code, /\b(?:from|import|require)\s*\(?\s*["']node:/)
      // Effect 4's core asks for one only through a guarded lookup, which finds nothing in a browser
      // (`globalThis.process?.getBuiltinModule?.("node:async_hooks")`)
      for (const mention of code.matchAll(/.{0,40}["']node:[a-z_]+/g)) {
        assert.include(mention[0], "process?.getBuiltinModule?.(", mention[0])
      }
      assert.include(code, "tmdb-effect/pending-login") // the entry itself is in the bundle
      // and the one login flow and callback rule, not copies of them
      assert.includeMembers(inputs, ["src/internal/login/flow.ts", "src/internal/login/callback.ts"])
      // Effect 4's Web Storage KeyValueStore, not a store of our own
      assert.isTrue(inputs.some((file) => file.endsWith("effect/dist/persistence/KeyValueStore.js")), inputs.join("\n"))
    }))

  it.effect("control: tmdb-effect/node's node: imports are found", () =>
    Effect.gen(function*() {
      const { found } = yield* nodeImports("src/node/index.ts")
      assert.isTrue(found.some((line) => line.includes("undici") && line.endsWith("node:net")), found.join("\n"))
    }))
})

describe("tmdb-effect/testing in memory", () => {
  it.effect("imports no @effect/platform-node, and node:http only lazily (the served variant)", () =>
    Effect.promise(async () => {
      const result = await esbuild.build({
        entryPoints: ["src/testing/index.ts"],
        absWorkingDir: root,
        bundle: true,
        format: "esm",
        platform: "node",
        external: ["node:*", "@effect/platform-node", "@effect/platform-node/*"],
        write: false,
        metafile: true,
        logLevel: "silent"
      })
      const imports = Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
        input.imports.map((i) => ({ line: `${file} → ${i.path} (${i.kind})`, path: i.path, kind: i.kind }))
      )
      const platformNode = imports.filter((i) => i.path.startsWith("@effect/platform-node"))
      const eager = imports.filter((i) => i.path.startsWith("node:") && i.kind !== "dynamic-import")
      assert.deepStrictEqual(platformNode.map((i) => i.line), [])
      assert.deepStrictEqual(eager.map((i) => i.line), [])
      // control: the served variant's server is there, imported when it starts
      assert.isTrue(imports.some((i) => i.path === "node:http" && i.kind === "dynamic-import"), "no lazy node:http")
    }))
})
