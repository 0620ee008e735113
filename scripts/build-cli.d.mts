export const CLI_ENTRIES: Record<string, string>
/** Bundle the intake CLI and MCP server into `outDir` (default out/cli); resolves to it. */
export function buildCli(outDir?: string): Promise<string>
