import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

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
    // ioredis prints an error that reaches a client without an "error" listener, stack and all
    // (a Redis reply quoting its command among them: an echoed AUTH's password). The clients the
    // Redis layers open have none; each such error reaches the call as the typed error the tests
    // check, so this print is noise in a passing run.
    onConsoleLog: (log) => !log.startsWith("[ioredis] Unhandled error event"),
    // 2-core machines: generous limits so a loaded CI box never fails a correct test
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "threads",
    poolOptions: { threads: { maxThreads: 2, minThreads: 1 } }
  }
})
