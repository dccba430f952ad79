#!/usr/bin/env node
/**
 * The CommonJS typings (`.d.cts`) from the ESM ones `tsc` emits (`.d.ts`, one per module, each
 * keeping its JSDoc): the same declarations, with every relative module specifier pointing at the
 * `.cjs` sibling, so a `require` user's types stay in the CommonJS graph (`./Authentication.cjs`
 * resolves to `Authentication.d.cts`). Declaration maps are copied along with their `file` field.
 *
 *   tsc -p tsconfig.build.json && node scripts/cjs-typings.mjs
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { basename, join } from "node:path"
import ts from "typescript"

const dist = new URL("../dist", import.meta.url).pathname

/** The string literals that name a module: `import`/`export … from`, `import("…")` types, `declare module`. */
const moduleSpecifiers = (file) => {
  const found = []
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      found.push(node.moduleSpecifier)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      found.push(node.argument.literal)
    } else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) {
      found.push(node.name)
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return found.filter((literal) => ts.isStringLiteral(literal))
}

const toCjs = (path) => {
  const text = readFileSync(path, "utf8")
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false)
  let out = text
  // From the end, so the positions of earlier literals still hold.
  for (const literal of moduleSpecifiers(file).reverse()) {
    if (/^\.\.?\//.test(literal.text) && literal.text.endsWith(".js")) {
      const start = literal.getStart(file)
      const quote = text[start]
      out = `${out.slice(0, start)}${quote}${literal.text.slice(0, -3)}.cjs${quote}${out.slice(literal.end)}`
    }
  }
  const map = `${basename(path)}.map`
  out = out.replace(`//# sourceMappingURL=${map}`, `//# sourceMappingURL=${map.replace(/\.d\.ts\.map$/, ".d.cts.map")}`)
  writeFileSync(path.replace(/\.d\.ts$/, ".d.cts"), out)
}

const toCjsMap = (path) => {
  const map = JSON.parse(readFileSync(path, "utf8"))
  map.file = map.file.replace(/\.d\.ts$/, ".d.cts")
  writeFileSync(path.replace(/\.d\.ts\.map$/, ".d.cts.map"), JSON.stringify(map))
}

for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  const path = join(entry.parentPath, entry.name)
  if (entry.isFile() && entry.name.endsWith(".d.ts")) toCjs(path)
  else if (entry.isFile() && entry.name.endsWith(".d.ts.map")) toCjsMap(path)
}
