import type { Plugin } from "vitest/config"
import { configDefaults, defineConfig } from "vitest/config"
import { cliDir, isEffectImport, library } from "./bundle.js"

/**
 * One copy of Effect in the tests too: tmdb-effect 2.x's sources (the simulator, the library)
 * import `effect/*`, which from `../effect4/src` would resolve to `packages/effect4/node_modules`,
 * a second copy whose services and classes the tests' own would not recognise. Every `effect`,
 * `effect/*` and `@effect/*` import is resolved from this package instead, as the bundle does
 * (bundle.ts).
 */
const oneEffect: Plugin = {
  name: "one-effect",
  enforce: "pre",
  async resolveId(source, importer, options) {
    if (!isEffectImport(source) || importer === undefined || importer.startsWith(cliDir)) return null
    return this.resolve(source, `${cliDir}vitest.config.ts`, { ...options, skipSelf: true })
  }
}

/** `tmdb-effect` as the CLI is built from it: 2.x's sources, by tsconfig.json's `paths` (bundle.ts). */
const fromSources: Plugin = {
  name: "tmdb-effect-sources",
  enforce: "pre",
  resolveId: (source) => library(source) ?? null
}

export default defineConfig({
  plugins: [fromSources, oneEffect],
  test: {
    globalSetup: ["test/globalSetup.ts"],
    include: ["test/**/*.test.ts"],
    exclude: [...configDefaults.exclude],
    // 2-core machines: generous limits so a loaded CI box never fails a correct test
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2
  }
})
