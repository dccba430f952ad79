/**
 * How `dist/` is built (`npm run build` runs this file; the tests build with it too):
 * one minified file with effect, effect/cli, @effect/platform-node and tmdb-effect 2.x's
 * sources inside, and no dependencies. What a command does not use is evaluated lazily (dynamic
 * `import()` inside the one file, see src/Cli.ts), and Node's own modules load when first used.
 */
import type { BuildOptions, Metafile, Plugin } from "esbuild"
import { build } from "esbuild"
import { chmodSync, readFileSync } from "node:fs"
import { isBuiltin } from "node:module"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

/** This package's folder: every `effect` and `@effect/*` import resolves from here. */
export const cliDir = fileURLToPath(new URL(".", import.meta.url))

/**
 * package.json's version, written into `--version` at build time (no file read at start);
 * the tests' bundles get it too.
 */
export const define = {
  TMDB_AUTH_VERSION: JSON.stringify(
    (JSON.parse(readFileSync(new URL("package.json", import.meta.url), "utf8")) as { version: string }).version
  )
}

/**
 * tsconfig.json's `paths` for `tmdb-effect` and its subpaths: the one map from the package's
 * entries to 2.x's sources, which the compiler, the bundle and the tests (vitest.config.ts) read.
 */
const libraryPaths = Object.entries(
  (JSON.parse(readFileSync(new URL("tsconfig.json", import.meta.url), "utf8")) as {
    readonly compilerOptions: { readonly paths: Readonly<Record<string, readonly [string]>> }
  }).compilerOptions.paths
).filter(([entry]) => /^tmdb-effect(\/|$)/.test(entry)).map(([entry, [target]]) => ({
  pattern: new RegExp(`^${entry.replace("*", "(.+)")}$`),
  target: fileURLToPath(new URL(target, import.meta.url))
}))

/** The source file an import of `tmdb-effect` (or a subpath) stands for, by tsconfig.json's `paths`. */
export const library = (path: string): string | undefined => {
  for (const { pattern, target } of libraryPaths) {
    const match = pattern.exec(path)
    if (match !== null) return target.replace("*", match[1] ?? "")
  }
  return undefined
}

/** An import of Effect or one of its packages, which must resolve to this package's one copy. */
export const isEffectImport = (path: string): boolean => /^(effect|@effect\/[^/]+)(\/|$)/.test(path)

/**
 * One copy of Effect in the bundle. 2.x's sources (`../effect4/src`) import `effect/*`, which
 * from there would resolve to `packages/effect4/node_modules/effect`, and the CLI's own imports
 * to `packages/cli/node_modules/effect`: two copies, two runtimes, twice the size. Every
 * `effect`, `effect/*` and `@effect/*` import is resolved from this package instead.
 */
export const oneEffect: Plugin = {
  name: "one-effect",
  setup(build) {
    build.onResolve({ filter: /^tmdb-effect(\/|$)/ }, ({ path }) => {
      const file = library(path)
      return file === undefined ? undefined : { path: file }
    })
    build.onResolve({ filter: /^(effect|@effect)(\/|$)/ }, async ({ path, kind, resolveDir, pluginData }) => {
      // the nested call below comes back through this hook: let esbuild resolve it
      if (!isEffectImport(path) || pluginData === oneEffect || resolveDir === cliDir) return undefined
      const resolved = await build.resolve(path, { resolveDir: cliDir, kind, pluginData: oneEffect })
      return resolved.errors.length > 0 ? { errors: resolved.errors } : { path: resolved.path }
    })
  }
}

/**
 * Node's own modules load when the code that uses them first reads from them, never at start.
 * An `import` of a built-in makes Node build its whole ES facade at start, reading every export
 * (`node:http`'s lazy `WebSocket` getter alone loads Node's fetch, with http2, tls and zlib); and
 * even required where the importing module is evaluated, `whoami` with nothing stored would load
 * child_process, crypto and readline for code it never runs. So each built-in is an object whose
 * prototype loads the module (`process.getBuiltinModule`) on the first property read.
 */
export const builtinsWhenUsed: Plugin = {
  name: "builtins-when-used",
  setup(build) {
    build.onResolve(
      { filter: /^(node:)?[a-z_/]+$/ },
      ({ path }) => isBuiltin(path) ? { path: path.replace(/^node:/, ""), namespace: "node-builtin" } : undefined
    )
    build.onLoad({ filter: /.*/, namespace: "node-builtin" }, ({ path }) => ({
      contents: `let loaded
const load = () => loaded ??= process.getBuiltinModule(${JSON.stringify(`node:${path}`)})
module.exports = Object.create(new Proxy({}, {
  get: (_, key) => key === "__esModule" ? false : key === "default" ? load() : load()[key]
}))`,
      loader: "js"
    }))
  }
}

/**
 * tmdb-effect's modules that the bundle loads when one of their functions is first called, not
 * when a module importing them loads — with what each exports (functions returning an Effect).
 * Ending a login at TMDB (`SessionStore.logout`'s, `login`'s and `guest`'s) brings the endpoints
 * and the HTTP client; `whoami`, which only reads the session file, never needs them.
 */
export const loadedWhenCalled: Readonly<Record<string, ReadonlyArray<string>>> = {
  [fileURLToPath(new URL("../effect4/src/internal/login/end.ts", import.meta.url))]: ["endAtTmdb"]
}

/** Each module of {@link loadedWhenCalled}, as a stand-in whose functions load the module at their first call. */
export const whenCalled: Plugin = {
  name: "when-called",
  setup(build) {
    build.onResolve({ filter: /\.js$/ }, ({ path, resolveDir, namespace }) => {
      if (namespace === "when-called" || !path.startsWith(".")) return undefined
      const file = join(resolveDir, path).replace(/\.js$/, ".ts")
      return Object.hasOwn(loadedWhenCalled, file) ? { path: file, namespace: "when-called" } : undefined
    })
    build.onLoad({ filter: /.*/, namespace: "when-called" }, ({ path }) => ({
      contents: [
        `import * as Effect from "effect/Effect"`,
        `const load = () => import(${JSON.stringify(path)})`,
        ...loadedWhenCalled[path]!.map((name) =>
          `export const ${name} = (...args) => Effect.flatMap(Effect.promise(load), (module) => module.${name}(...args))`
        )
      ].join("\n"),
      resolveDir: cliDir,
      loader: "js"
    }))
  }
}

/** The bundle's settings, but where it is written. */
export const bundleOptions: BuildOptions = {
  entryPoints: [`${cliDir}src/main.ts`],
  bundle: true,
  platform: "node",
  // CommonJS: Node starts it without its ES module loader, measurably sooner
  format: "cjs",
  target: "node22",
  minify: true,
  define,
  plugins: [builtinsWhenUsed, whenCalled, oneEffect],
  logLevel: "error"
}

/**
 * Builds the CLI into `dir`: the bundle (`cli.cjs`) and the bin that runs it with Node's compile
 * cache on (`tmdb-auth.cjs`, executable; src/bin.cts). Returns esbuild's account of the bundle.
 */
export const buildBin = async (dir: string): Promise<Metafile> => {
  const { metafile } = await build({ ...bundleOptions, outfile: join(dir, "cli.cjs"), metafile: true })
  await build({
    entryPoints: [`${cliDir}src/bin.cts`],
    platform: "node",
    format: "cjs",
    target: "node22",
    outfile: join(dir, "tmdb-auth.cjs"),
    logLevel: "error"
  })
  chmodSync(join(dir, "tmdb-auth.cjs"), 0o755)
  return metafile
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildBin(`${cliDir}dist`)
}
