#!/usr/bin/env node
/**
 * Checks what a user's editor shows, against the packed package (not `src/`): `npm pack` into a
 * temporary directory, the tarball unpacked as `node_modules/tmdb-effect` beside this checkout's
 * other dependencies, then TypeScript's language service asks for the hover ("quick info") of a
 * few members imported as the README does, once from an ESM project and once from a CommonJS one
 * (`module: NodeNext`). Each hover must carry the member's JSDoc, and must come from the typings
 * the resolution mode should pick (`.d.ts` for ESM, `.d.cts` for CommonJS).
 *
 *   npm run build && node scripts/check-hover.mjs
 *
 * Exits 1 with the failing hovers listed.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import ts from "typescript"

const root = new URL("..", import.meta.url).pathname

/** `Namespace.member` pairs whose hover must be documented, by the import they come from. */
const program = `import { Authentication, TmdbConfig, TmdbCredentials } from "tmdb-effect"
import * as AuthenticationModule from "tmdb-effect/Authentication"
import { BrowserSessionStore, RedirectLogin } from "tmdb-effect/browser"
import { NodeTmdbHttpClient } from "tmdb-effect/node"
import { RedisRateLimiter, RedisSessionStore } from "tmdb-effect/redis"
import { TmdbSimulator } from "tmdb-effect/testing"

export const hovered = [
  Authentication.loginWithPassword,
  Authentication.createRequestToken,
  TmdbCredentials.layerConfig,
  TmdbConfig.layer,
  TmdbSimulator.layer,
  NodeTmdbHttpClient.layer,
  RedirectLogin.start,
  BrowserSessionStore.layer,
  RedisRateLimiter.layer,
  RedisSessionStore.layer,
  AuthenticationModule.loginWithPassword
]
`
const hovered = [...program.matchAll(/^ {2}(\w+)\.(\w+),?$/gm)].map((match) => ({
  name: `${match[1]}.${match[2]}`,
  position: match.index + match[0].indexOf(".") + 1
}))

/** The packed package, unpacked where a consumer's `node_modules` would hold it. */
const install = () => {
  const dir = mkdtempSync(join(tmpdir(), "tmdb-effect-hover-"))
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], {
      cwd: root,
      encoding: "utf8"
    })
  )
  const modules = join(dir, "node_modules")
  mkdirSync(join(modules, "tmdb-effect"), { recursive: true })
  execFileSync("tar", ["-xzf", join(dir, packed.filename), "-C", join(modules, "tmdb-effect"), "--strip-components=1"])
  // The peer dependencies (effect, @effect/platform, …) and @types/node, as a user installs them.
  for (const entry of readdirSync(join(root, "node_modules"))) {
    if (entry !== ".bin" && entry !== ".package-lock.json" && entry !== "tmdb-effect") {
      symlinkSync(join(root, "node_modules", entry), join(modules, entry))
    }
  }
  return dir
}

/** Shared by both projects: effect's typings are parsed once. */
const registry = ts.createDocumentRegistry()

/** The hovers that lack documentation, or come from the wrong typings, in one consumer project. */
const check = (dir, type, typings) => {
  const project = join(dir, type)
  mkdirSync(project)
  writeFileSync(join(project, "package.json"), JSON.stringify({ type }))
  const file = join(project, "index.ts")
  writeFileSync(file, program)
  const options = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: true,
    types: ["node"],
    noEmit: true
  }
  const service = ts.createLanguageService({
    getCompilationSettings: () => options,
    getScriptFileNames: () => [file],
    getScriptVersion: () => "1",
    getScriptSnapshot: (name) => {
      const text = ts.sys.readFile(name)
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text)
    },
    getCurrentDirectory: () => project,
    getDefaultLibFileName: (settings) => ts.getDefaultLibFilePath(settings),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath
  }, registry)

  const problems = [...service.getSyntacticDiagnostics(file), ...service.getSemanticDiagnostics(file)].map(
    (diagnostic) => `${type}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`
  )
  for (const { name, position } of hovered) {
    const info = service.getQuickInfoAtPosition(file, position)
    const documentation = ts.displayPartsToString(info?.documentation ?? []).trim()
    if (documentation === "") problems.push(`${type}: hovering ${name} shows no documentation`)
    const [definition] = service.getDefinitionAtPosition(file, position) ?? []
    const from = definition?.fileName ?? "nowhere"
    if (!from.includes("/node_modules/tmdb-effect/") || !from.endsWith(typings)) {
      problems.push(`${type}: ${name} is declared in ${from}, not in the package's ${typings} typings`)
    }
  }
  return problems
}

const dir = install()
let problems
try {
  problems = [...check(dir, "module", ".d.ts"), ...check(dir, "commonjs", ".d.cts")]
} finally {
  rmSync(dir, { recursive: true, force: true })
}
if (problems.length > 0) {
  console.error(`hover documentation: ${problems.length} problem(s):\n- ${problems.join("\n- ")}`)
  process.exit(1)
}
console.log(`hover documentation: ok (${hovered.length} members, ESM and CommonJS)`)
