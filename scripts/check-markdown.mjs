#!/usr/bin/env node
/**
 * Type-checks every TypeScript block of the repository's Markdown (READMEs, guides) against the
 * edition it is written for, and runs the blocks that are tests against the simulator.
 *
 * Each Markdown file's blocks become files of one folder under the edition's `.tmp/`
 * (a block named by `file=` keeps its name, so its neighbours can import it), compiled with the
 * edition's own TypeScript and settings, imports of `tmdb-effect` resolved to its sources. Blocks
 * whose name ends in `.test.ts` then run under the edition's vitest. Errors point at the
 * Markdown file and line. A block that names no edition, outside a package's folder, is refused.
 *
 *   node scripts/check-markdown.mjs                  # every Markdown file
 *   node scripts/check-markdown.mjs docs/login.md    # some
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { delimiter, join } from "node:path"
import { blocksOf, editions, markdownFiles } from "./markdown.mjs"
import { repository } from "./pack-release.mjs"

const problems = []
/** Per edition: the generated files, each with the Markdown file and line it came from. */
const generated = new Map(Object.keys(editions).map((edition) => [edition, []]))

const only = process.argv.slice(2)
for (const path of markdownFiles(repository).filter((path) => only.length === 0 || only.includes(path))) {
  const folder = path.replace(/\.md$/, "").replace(/[^A-Za-z0-9]+/g, "-")
  blocksOf(repository, path).forEach((block, index) => {
    if (block.language === "typescript" || block.language === "tsx") {
      problems.push(`${path}:${block.line}: open a TypeScript block as \`\`\`ts, so that it is checked`)
      return
    }
    if (block.language !== "ts") return
    if (block.edition === undefined) {
      problems.push(`${path}:${block.line}: a TypeScript block that names no edition (edition=1.x, …)`)
      return
    }
    const files = generated.get(block.edition)
    if (files === undefined) {
      problems.push(`${path}:${block.line}: no edition ${block.edition} (known: ${Object.keys(editions).join(", ")})`)
      return
    }
    const name = block.attributes.file ?? `block-${index + 1}.ts`
    files.push({ file: `${folder}/${name}`, source: path, line: block.line, code: block.code })
  })
}

/** Rewrites `folder/file.ts(3,5)` / `folder/file.ts:3:5` in a tool's output to the Markdown's own line. */
const pointBack = (output, files) =>
  files.reduce(
    (text, { file, source, line }) =>
      text.replaceAll(
        new RegExp(`(?:\\S*/)?${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:\\((\\d+),(\\d+)\\)|:(\\d+):(\\d+))`, "g"),
        (_, l1, c1, l2, c2) => `${source}:${line + Number(l1 ?? l2) - 1}:${c1 ?? c2}`
      ),
    output
  )

let checked = 0
let tested = 0
for (const [edition, files] of generated) {
  if (files.length === 0) continue
  const packageDir = join(repository, editions[edition])
  // one folder per run, so that two runs side by side don't share one
  const run = `markdown-${process.pid}`
  const dir = join(packageDir, ".tmp", run)
  for (const { file, code } of files) {
    mkdirSync(join(dir, file, ".."), { recursive: true })
    writeFileSync(join(dir, file), `${code}\n`)
  }
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: "../../tsconfig.json",
      // a guide's block may define what it shows without using it
      compilerOptions: { noUnusedLocals: false, noUnusedParameters: false },
      include: ["**/*.ts"]
    })
  )
  const bins = join(packageDir, "node_modules", ".bin")
  const bin = (name) => join(bins, name)
  // the edition's tools on the edition's Node (2.x's workspace installs its own, in .bin)
  const env = { ...process.env, PATH: `${bins}${delimiter}${process.env.PATH ?? ""}` }
  const tsc = spawnSync(bin("tsc"), ["--noEmit", "-p", join(dir, "tsconfig.json")], { encoding: "utf8", env })
  if (tsc.status !== 0) problems.push(`${edition}: type errors\n${pointBack(tsc.stdout + tsc.stderr, files)}`)
  checked += files.length

  const tests = files.filter(({ file }) => file.endsWith(".test.ts"))
  if (tests.length > 0) {
    writeFileSync(
      join(dir, "vitest.config.ts"),
      `import base from "../../vitest.config.js"

export default { ...base, test: { ...base.test, include: [".tmp/${run}/**/*.test.ts"] } }
`
    )
    const vitest = spawnSync(bin("vitest"), ["run", "--config", join(dir, "vitest.config.ts")], {
      cwd: packageDir,
      encoding: "utf8",
      env
    })
    if (vitest.status !== 0) problems.push(`${edition}: tests failed\n${pointBack(vitest.stdout + vitest.stderr, files)}`)
    tested += tests.length
  }
  rmSync(dir, { recursive: true, force: true })
}

if (problems.length > 0) {
  console.error(`Markdown code: ${problems.length} problem(s):\n- ${problems.join("\n- ")}`)
  process.exit(1)
}
console.log(`Markdown code: ok (${checked} TypeScript blocks type-checked, ${tested} of them run as tests)`)
