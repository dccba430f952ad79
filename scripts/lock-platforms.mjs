#!/usr/bin/env node
/**
 * Keeps package-lock.json installable with `npm ci` on machines whose registry serves only some
 * platform builds of optional native packages (rollup, msgpackr-extract).
 *
 * `npm install` leaves out an optional dependency whose manifest it can't fetch, and `npm ci`
 * then refuses the lock as "out of sync". This adds the missing entries back with the
 * os/cpu/libc their names state, and no download address: `npm ci` skips them as
 * other-platform packages, exactly as it does where the registry has them.
 *
 *   npm install && node scripts/lock-platforms.mjs
 */
import { readFileSync, writeFileSync } from "node:fs"

const lockPath = new URL("../package-lock.json", import.meta.url)
const lock = JSON.parse(readFileSync(lockPath, "utf8"))
const packages = lock.packages

const platformOf = (name) => {
  const parts = name.split("/").pop().split("-")
  const os = ["android", "darwin", "freebsd", "linux", "openbsd", "openharmony", "win32", "sunos", "aix"]
    .find((candidate) => parts.includes(candidate))
  const cpu = ["arm64", "arm", "x64", "ia32", "loong64", "ppc64", "riscv64", "s390x"]
    .find((candidate) => parts.includes(candidate))
  const libc = parts.some((part) => part.includes("musl"))
    ? "musl"
    : parts.some((part) => part.startsWith("gnu"))
    ? "glibc"
    : undefined
  return os && cpu ? { os, cpu, libc } : undefined
}

/** The `node_modules/` folder a package at `path` sits in (a workspace's own, for a workspace). */
const folderOf = (path) => {
  const at = path.lastIndexOf("node_modules/")
  return at === -1 ? (path === "" ? "node_modules/" : `${path}/node_modules/`) : path.slice(0, at + "node_modules/".length)
}

let added = 0
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const folder = folderOf(path)
    if (packages[`${path === "" ? "" : `${path}/`}node_modules/${name}`] || packages[`${folder}${name}`]) continue
    const platform = platformOf(name)
    if (!platform) {
      console.error(`lock-platforms: can't tell the platform of ${name}; left out`)
      continue
    }
    packages[`${folder}${name}`] = {
      version,
      cpu: [platform.cpu],
      ...(entry.dev ? { dev: true } : {}),
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      optional: true,
      os: [platform.os]
    }
    added++
  }
}

lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0))
)
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`)
console.log(`lock-platforms: added ${added} other-platform optional entries`)
