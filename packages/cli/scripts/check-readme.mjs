#!/usr/bin/env node
/**
 * `npm run docs`: README.md's exit-code table says what the code's one table says
 * (src/ExitCode.ts): the same codes in the same order, each with its meaning and the error tags
 * that end with it. The table is compiled in memory with esbuild (no build needed) and imported.
 */
import { build } from "esbuild"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const here = (path) => fileURLToPath(new URL(path, import.meta.url))

const compiled = await build({
  entryPoints: [here("../src/ExitCode.ts")],
  bundle: true,
  format: "esm",
  platform: "node",
  write: false,
  logLevel: "error"
})
const { exitCodes, meanings, tagsOf } = await import(
  `data:text/javascript;base64,${Buffer.from(compiled.outputFiles[0].text).toString("base64")}`
)

const row = (code) => {
  const tags = tagsOf(code).map((tag) => `\`${tag}\``).join(", ")
  return `| ${code} | ${meanings[code]} | ${tags} |`
}
const expected = ["| code | meaning | error tags |", "| --- | --- | --- |", ...exitCodes.map(row)]

const readme = readFileSync(here("../README.md"), "utf8")
const start = readme.indexOf("\n## Exit codes\n")
if (start === -1) {
  console.error("README.md has no section \"## Exit codes\"")
  process.exit(1)
}
const table = readme.slice(start).split("\n").filter((line) => line.startsWith("|"))
const actual = table.slice(0, expected.length)
const wrong = expected.filter((line, i) => actual[i] !== line)
if (wrong.length > 0 || (table[expected.length] ?? "").startsWith("|")) {
  console.error("README.md's exit-code table differs from src/ExitCode.ts. It should read:\n")
  console.error(expected.join("\n"))
  process.exit(1)
}
console.log(`README.md's exit-code table matches src/ExitCode.ts (${exitCodes.length} codes).`)
