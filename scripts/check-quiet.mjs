#!/usr/bin/env node
/**
 * Checks the output of a passing `npm test` (a file, or stdin) for what would make it read like a
 * failure, or leak: a stack trace, a client's "Unhandled error event", or one of the test suite's
 * secrets — every string literal of 8 characters or more that the tests bind to a name ending in
 * `password`, `secret`, `key`, `token` or `session` (a path or a duration aside).
 *
 *   npm test 2>&1 | tee test.log && node scripts/check-quiet.mjs test.log
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { repository } from "./pack-release.mjs"

const log = readFileSync(process.argv[2] ?? 0, "utf8")

const secrets = new Set()
// `name = "…"`, `name: "…"`, `"name": "…"` (not the end of a string that a ternary follows)
const binding = /(\w*(?:password|secret|key|token|session))(?:["']:|\s*[:=])\s*"([^"\n]{8,})"/gi
for (const workspace of readdirSync(join(repository, "packages"))) {
  const tests = join(repository, "packages", workspace, "test")
  if (!existsSync(tests)) continue
  for (const entry of readdirSync(tests, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue
    for (const [, , value] of readFileSync(join(entry.parentPath ?? entry.path, entry.name), "utf8").matchAll(binding)) {
      if (!value.startsWith("/") && !/^\d+ \w+$/.test(value) && !value.includes("${")) secrets.add(value)
    }
  }
}

const problems = []
const lines = log.split("\n")
lines.forEach((line, i) => {
  if (/^\s+at .+(:\d+:\d+\)?|\(native\))$/.test(line)) problems.push(`line ${i + 1}: a stack trace: ${line.trim()}`)
  if (line.includes("Unhandled error event")) problems.push(`line ${i + 1}: an unhandled error event`)
  for (const secret of secrets) {
    if (line.includes(secret)) problems.push(`line ${i + 1}: a secret of the test suite (${secret.slice(0, 4)}…)`)
  }
})

if (problems.length > 0) {
  console.error(`the test output is not quiet: ${problems.length} problem(s):\n- ${problems.slice(0, 30).join("\n- ")}`)
  process.exit(1)
}
console.log(`quiet test output: ok (${lines.length} lines: no stack trace, no unhandled error, none of ${secrets.size} secrets)`)
