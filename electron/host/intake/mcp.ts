// A Model Context Protocol server over stdio, so an AI agent can hand its work to human review
// in Signoff and pick up the requested changes. Tools: submit_output, get_output_status. It
// talks to the running app's local intake API, found like the CLI finds it (SIGNOFF_DATA_DIR,
// SIGNOFF_INTAKE_URL + SIGNOFF_INTAKE_TOKEN, or the app's data folder).
//
//   npm run mcp            (or: signoff mcp)
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { z } from 'zod'
import { dueSchema } from '../../../shared/host/intake.ts'
import { connect, formatStatus, getOutputStatus, type IntakeConnection, submitOutput } from './client.ts'

export function createMcpServer(options: { url?: string; token?: string; dataDir?: string } = {}): McpServer {
  const server = new McpServer({ name: 'signoff', version: '0.1.0' })
  let conn: IntakeConnection | null = null
  const connection = async () => {
    conn ??= await connect(options)
    return conn
  }
  const failure = (error: unknown) => {
    conn = null
    return {
      isError: true,
      content: [{ type: 'text' as const, text: error instanceof Error ? error.message : String(error) }],
    }
  }

  server.registerTool(
    'submit_output',
    {
      title: 'Submit an output for human review',
      description:
        "Hand a piece of work (a draft, a summary, an article…) to the team in Signoff. It becomes a draft of the given output type on their review board. Returns the output id; call get_output_status with it later to read the review state and the reviewers' feedback.",
      inputSchema: {
        title: z.string().min(1).max(200).describe('A short title for the board.'),
        type: z.string().min(1).max(100).describe('The output type id (or name), e.g. "blog-article".'),
        content: z.string().max(2_000_000).describe('The work itself (Markdown, plain text or HTML).'),
        model: z.string().max(200).optional().describe('The model that produced it.'),
        tool: z.string().max(200).optional().describe('The tool or agent that produced it.'),
        prompt: z.string().max(20_000).optional().describe('The prompt it was produced from.'),
        tags: z.array(z.string().min(1).max(60)).max(30).optional(),
        due: dueSchema.optional().describe('Due date, YYYY-MM-DD.'),
        workspaceId: z
          .string()
          .optional()
          .describe('Which workspace; by default the first one on this machine.'),
      },
    },
    async (args) => {
      try {
        const source = {
          ...(args.model ? { model: args.model } : {}),
          tool: args.tool ?? 'mcp',
          ...(args.prompt ? { prompt: args.prompt } : {}),
        }
        const result = await submitOutput(await connection(), {
          title: args.title,
          type: args.type,
          content: args.content,
          source,
          ...(args.tags ? { tags: args.tags } : {}),
          ...(args.due ? { due: args.due } : {}),
          ...(args.workspaceId ? { workspaceId: args.workspaceId } : {}),
        })
        if (result.state === 'failed')
          return {
            content: [
              {
                type: 'text' as const,
                text: `Signoff took ${result.id} but could not make it a draft: ${result.reason ?? 'no reason was given'}`,
              },
            ],
            structuredContent: { ...result },
            isError: true,
          }
        return {
          content: [
            {
              type: 'text' as const,
              text: `Submitted as ${result.id} (status: ${result.state}). Use get_output_status with id ${result.id} to follow the review.`,
            },
          ],
          structuredContent: { ...result },
        }
      } catch (error) {
        return failure(error)
      }
    },
  )

  server.registerTool(
    'get_output_status',
    {
      title: 'Get the review status and feedback of an output',
      description:
        "Where an output submitted to Signoff stands (queued, draft, in_review, changes_requested, approved, published, rejected…), its approvals, and the reviewers' feedback: the reasons for requested changes and the checklist items they judged, with notes.",
      inputSchema: { id: z.string().min(1).max(64).describe('The id submit_output returned.') },
    },
    async ({ id }) => {
      try {
        const status = await getOutputStatus(await connection(), id)
        return {
          content: [{ type: 'text' as const, text: formatStatus(status) }],
          structuredContent: { ...status },
        }
      } catch (error) {
        return failure(error)
      }
    },
  )
  return server
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = createMcpServer({
    ...(process.env.SIGNOFF_DATA_DIR ? { dataDir: process.env.SIGNOFF_DATA_DIR } : {}),
  })
  await server.connect(new StdioServerTransport())
}
