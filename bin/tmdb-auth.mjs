#!/usr/bin/env node
// The `tmdb-auth` bin: the CLI needs the optional peer dependencies @effect/platform-node and
// @effect/cli; say so plainly when they are missing instead of a module-resolution stack trace.
import("../dist/node/cli.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && /@effect\/(cli|platform-node)/.test(String(error.message))) {
    console.error(
      "tmdb-auth needs the optional peer dependencies @effect/platform-node and @effect/cli:\n" +
        "  npm install @effect/platform-node@^0.108 @effect/cli@^0.77"
    )
    process.exit(2)
  }
  throw error
})
