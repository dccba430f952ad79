#!/usr/bin/env node
/**
 * The `tmdb-auth` bin: turns on Node's compile cache for the CLI's one bundled file, then runs
 * it. Node then reads the compiled bundle from the user's own cache directory
 * (`$XDG_CACHE_HOME/tmdb-auth`, else `~/.cache/tmdb-auth`) instead of compiling its source at
 * every start; where that directory can't be used, it compiles as usual.
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off. CommonJS, like the bundle: Node starts a CommonJS
 * program without its ES module loader.
 */
const { enableCompileCache } = process.getBuiltinModule("node:module")
const { homedir } = process.getBuiltinModule("node:os")
const { join } = process.getBuiltinModule("node:path")

enableCompileCache(join(process.env["XDG_CACHE_HOME"] || join(homedir(), ".cache"), "tmdb-auth"))
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle, once the cache is on
require("./cli.cjs")
