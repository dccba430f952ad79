import { fileURLToPath } from "node:url"
import { configDefaults, defineConfig } from "vitest/config"

export default defineConfig({
  resolve: {
    alias: {
      "tmdb-effect/testing": fileURLToPath(new URL("./src/testing/index.ts", import.meta.url)),
      "tmdb-effect/node": fileURLToPath(new URL("./src/node/index.ts", import.meta.url)),
      "tmdb-effect/redis": fileURLToPath(new URL("./src/redis/index.ts", import.meta.url)),
      "tmdb-effect/browser": fileURLToPath(new URL("./src/browser/index.ts", import.meta.url)),
      "tmdb-effect": fileURLToPath(new URL("./src/index.ts", import.meta.url))
    }
  },
  test: {
    include: ["test/**/*.test.ts"],
    // run on its own, after these (vitest.pacing.config.ts)
    exclude: [...configDefaults.exclude, "test/pacing/**"],
    // 2-core machines: generous limits so a loaded CI box never fails a correct test
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "threads",
    poolOptions: { threads: { maxThreads: 2, minThreads: 1 } }
  }
})
