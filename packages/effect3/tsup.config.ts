import { existsSync, readdirSync, readFileSync } from "node:fs"
import { defineConfig } from "tsup"
import type { Options } from "tsup"

/**
 * One entry per public module: `src/index.ts` and `src/<dir>/index.ts` for every directory but
 * `internal` (today `testing`, `node`, `browser` and `redis`), so a new entry needs only its `exports` line.
 */
const entries = (): Record<string, string> => {
  const entry: Record<string, string> = { index: "src/index.ts" }
  for (const dir of readdirSync("src", { withFileTypes: true })) {
    if (dir.isDirectory() && dir.name !== "internal" && existsSync(`src/${dir.name}/index.ts`)) {
      entry[`${dir.name}/index`] = `src/${dir.name}/index.ts`
    }
    // Each public module also on its own path (`tmdb-effect/Authentication`), as Effect's own
    // packages do: importing from it lets a bundler drop the modules a program doesn't use.
    if (dir.isFile() && dir.name.endsWith(".ts") && dir.name !== "index.ts") {
      entry[dir.name.slice(0, -3)] = `src/${dir.name}`
    }
  }
  return entry
}

/**
 * package.json's version, written into the CLI's `--version` at build time (no file read at
 * start); test/utils/cli.ts bundles the CLI with it too.
 */
export const define = {
  TMDB_AUTH_VERSION: JSON.stringify((JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version)
}

const shared: Pick<Options, "sourcemap" | "target" | "platform" | "external" | "define"> = {
  define,
  // The maps point at `../src/*.ts`, which the package ships.
  sourcemap: true,
  target: "node20",
  platform: "node",
  // Peer and optional dependencies stay imports: users bring one copy of each.
  external: [/^effect(\/|$)/, /^@effect\//, /^undici(\/|$)/, /^ioredis(\/|$)/]
}

// JavaScript only: the typings are `tsc`'s, one `.d.ts` per module with its JSDoc, and their
// `.d.cts` copies (`npm run build`, `tsconfig.build.json`, `scripts/cjs-typings.mjs`).
export default defineConfig([
  {
    ...shared,
    // ESM: one file per module, as `tsc` would emit it, so `export * as Authentication` stays a
    // real ES namespace and a user's bundler drops the endpoints a program doesn't call.
    entry: ["src/**/*.ts"],
    format: ["esm"],
    bundle: false
  },
  {
    ...shared,
    // CJS (`.cjs`): bundled per entry, chunks shared, so each class exists once.
    entry: entries(),
    format: ["cjs"],
    splitting: true,
    treeshake: true
  },
  {
    // The `tmdb-auth` bin (package.json "bin"): one minified file with effect, the platform and
    // @effect/cli inside, so it starts without resolving hundreds of modules in node_modules and
    // runs without the optional peers. No source map: it would point into node_modules.
    entry: { "bin/tmdb-auth": "src/node/cli.ts" },
    format: ["esm"],
    outExtension: () => ({ js: ".mjs" }),
    target: "node20",
    platform: "node",
    noExternal: [/./],
    minify: true,
    define
  }
])
