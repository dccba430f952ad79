import { existsSync, readdirSync } from "node:fs"
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

const shared: Pick<Options, "sourcemap" | "target" | "platform" | "external"> = {
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
  }
])
