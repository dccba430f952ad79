import { defineConfig } from "vitest/config"
import base from "./vitest.config.js"

/**
 * The pacing suite (test/pacing/): one file at a time, after the others, as it keeps a core busy
 * on purpose and times arrivals at a server.
 */
export default defineConfig({
  ...base,
  test: { ...base.test, include: ["test/pacing/**/*.test.ts"], exclude: [], fileParallelism: false }
})
