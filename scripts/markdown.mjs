/**
 * The code blocks of the repository's Markdown files, as the checks read them.
 *
 * A block's info string is its language, then `key=value` words: ```` ```ts edition=1.x file=login.ts ````.
 * `edition` says which edition's package the block is written for (a block in a package's own
 * folder needs none: it is that package's); `file` names the block, so that other blocks of the
 * same Markdown file can import it (`./login.js`), and a name ending in `.test.ts` makes it a test.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

/** The editions, by the name a block gives, with the folder of their package. */
export const editions = {
  "1.x": "packages/effect3",
  "2.x": "packages/effect4"
}

/** Folders whose Markdown is not ours to check (a package's `docs/` is its generated API reference). */
const skipped = new Set(["node_modules", ".git", ".tmp", "release", "dist", "coverage"])
const generated = /^packages\/[^/]+\/docs\//

/** Every Markdown file of the repository at `root`, by its path from there. */
export const markdownFiles = (root, dir = "") =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .flatMap((entry) => {
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`
      if (entry.isDirectory()) return skipped.has(entry.name) || generated.test(`${path}/`) ? [] : markdownFiles(root, path)
      return entry.isFile() && entry.name.endsWith(".md") ? [path] : []
    })
    .sort()

/** The edition a file's blocks are written for, when its folder says. */
const editionOfFolder = (path) =>
  Object.entries(editions).find(([, folder]) => path.startsWith(`${folder}/`))?.[0]

/**
 * The fenced code blocks of one Markdown file: `{ language, attributes, code, line }`, `line`
 * being the file's line of the block's first line of code.
 */
export const blocksOf = (root, path) => {
  const lines = readFileSync(join(root, path), "utf8").split("\n")
  const blocks = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```(\w+)(.*)$/.exec(lines[i])
    if (!open) continue
    const indent = open[1]
    const end = lines.findIndex((line, j) => j > i && line === `${indent}\`\`\``)
    if (end === -1) throw new Error(`${path}:${i + 1}: a code block that never closes`)
    const attributes = Object.fromEntries(
      open[3].trim().split(/\s+/).filter(Boolean).map((word) => word.split("=", 2))
    )
    blocks.push({
      language: open[2],
      attributes,
      edition: attributes.edition ?? editionOfFolder(path),
      code: lines.slice(i + 1, end).map((line) => line.slice(indent.length)).join("\n"),
      line: i + 2
    })
    i = end
  }
  return blocks
}
