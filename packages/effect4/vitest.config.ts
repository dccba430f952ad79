import { fileURLToPath } from "node:url"
import { configDefaults, defineConfig } from "vitest/config"

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url))

export default defineConfig({
  resolve: {
    // the package's own entries, as users import them, from src/
    alias: [
      { find: /^tmdb-effect$/, replacement: src("index.ts") },
      { find: /^tmdb-effect\/(testing|node|redis|browser)$/, replacement: src("$1/index.ts") },
      { find: /^tmdb-effect\/([A-Za-z]+)$/, replacement: src("$1.ts") }
    ]
  },
  test: {
    include: ["test/**/*.test.ts"],
    // run on its own, after these (vitest.pacing.config.ts)
    exclude: [...configDefaults.exclude, "test/pacing/**"],
    // 2-core machines: generous limits so a loaded CI box never fails a correct test
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "threads",
    maxWorkers: 2
  }
})
