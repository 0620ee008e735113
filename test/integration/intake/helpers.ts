import { execFile } from 'node:child_process'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import * as Y from 'yjs'
import { createHost } from '../../../electron/host/index.ts'
import { applyIntakeItem, intakeStatus } from '../../../renderer/src/intake/apply.ts'
import { perform } from '../../../shared/domain/actions.ts'
import { localOrigin } from '../../../shared/domain/origins.ts'
import { OutputDoc } from '../../../shared/domain/output.ts'
import type { Workspace } from '../../../shared/domain/workspace.ts'
import type { HostApi } from '../../../shared/host/api.ts'
import { enrollAll } from '../../support/keys.ts'
import type { TestScope } from '../../support/scope.ts'
import { smallTeamWorkspace } from '../../support/workspace.ts'

export const REPO_ROOT = resolve(import.meta.dirname, '../../..')

const run = promisify(execFile)

/** The signoff CLI as a child process (async, so this process's host keeps serving). */
export async function signoff(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(REPO_ROOT, 'electron/host/intake/signoff.mjs'), ...args],
      {
        env: { ...process.env, SIGNOFF_INTAKE_URL: '', SIGNOFF_INTAKE_TOKEN: '', ...env },
      },
    )
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/** A host with intake on a free port, in a temp data folder; closed after the test. */
export function intakeHost(scope: TestScope, prefix: string) {
  const dataDir = scope.dir(prefix)
  const h = createHost({ shell: 'web', version: 'test', dataDir, intakePort: 0 })
  scope.defer(() => h.close())
  return { h, dataDir }
}

/** An agent connected to the MCP server (a stdio child) for the intake of `dataDir`; closed after the test. */
export async function mcpAgent(scope: TestScope, dataDir: string): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      join(REPO_ROOT, 'electron/host/intake/mcp.ts'),
    ],
    env: { ...(process.env as Record<string, string>), SIGNOFF_DATA_DIR: dataDir },
    stderr: 'pipe',
  })
  const agent = new Client({ name: 'test-agent', version: '1.0.0' })
  await agent.connect(transport)
  scope.defer(() => agent.close())
  return agent
}

export async function until<T>(
  fn: () => Promise<T | null | undefined | false> | T,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error('Timed out waiting.')
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** A renderer stand-in: a real workspace document plus output documents, draining the host's spool. */
export class FakeRenderer {
  readonly ws: Workspace
  readonly outputs = new Map<string, OutputDoc>()
  readonly memberId = 'mAuthor'
  readonly reviewerId = 'mReviewer'
  readonly workspaceId: string
  private readonly host: HostApi

  constructor(host: HostApi, workspaceId = 'wsTest') {
    this.host = host
    this.workspaceId = workspaceId
    this.ws = smallTeamWorkspace(new Y.Doc(), workspaceId, 'Test', { id: this.memberId, name: 'Ann' })
    this.ws.transact(localOrigin(this.memberId), () =>
      this.ws.members.put({ id: this.reviewerId, name: 'Rev', roles: ['reviewer', 'approver'], joinedAt: 1 }),
    )
    enrollAll(this.ws)
  }

  /** One poll: create what is waiting, acknowledge each. */
  async drain(): Promise<number> {
    let n = 0
    for (;;) {
      const items = await this.host.intakePending(this.workspaceId)
      if (items.length === 0) return n
      for (const item of items) {
        const out = new OutputDoc(new Y.Doc())
        const r = applyIntakeItem(this.ws, out, item, this.memberId)
        if (r.ok) this.outputs.set(item.id, out)
        await this.host.intakeAck({
          workspaceId: this.workspaceId,
          id: item.id,
          ok: r.ok,
          ...(r.ok ? { typeId: r.typeId } : { reason: r.reason }),
        })
        n++
      }
    }
  }

  /** A reviewer sends it back: a failed checklist item and requested changes. */
  sendBack(id: string, note: string, reason: string) {
    const out = this.outputs.get(id)!
    expectOk(perform(this.ws, out, this.memberId, { action: 'submit' }))
    const actor = this.reviewerId
    expectOk(
      perform(this.ws, out, actor, { action: 'judge', itemId: this.firstItem(id), verdict: 'fail', note }),
    )
    expectOk(perform(this.ws, out, actor, { action: 'request_changes', reasons: [reason] }))
  }

  private firstItem(id: string): string {
    const type = this.ws.types.get(this.ws.summary(id)!.typeId)!
    return (type.checklist.find((i) => i.severity === 'send-back') ?? type.checklist[0])!.id
  }

  async report(ids: string[]) {
    const statuses = ids.map((id) =>
      intakeStatus(this.ws, this.ws.summary(id)!, this.outputs.get(id) ?? null),
    )
    await this.host.intakeReportStatus({ workspaceId: this.workspaceId, statuses })
  }
}

function expectOk(check: { ok: boolean; reason?: string }) {
  if (!check.ok) throw new Error(check.reason)
}
