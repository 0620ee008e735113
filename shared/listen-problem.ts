/**
 * Why a server could not take its port, in words for the person who chose it: the relay hosted
 * from Settings, `npm run relay` and `npm run web` say the same thing, naming their own setting
 * (`setting`: "port", "--port", "SIGNOFF_WEB_PORT"). Undefined for other errors.
 */
export function listenProblem(err: unknown, port: number, setting: string): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  if (code === 'EADDRINUSE')
    return `Port ${port} is already in use on this computer (another program, or another Signoff, listens there): choose another ${setting}, or 0 for any free one.`
  if (code === 'EACCES')
    return `Port ${port} needs administrator rights on this computer: choose a ${setting} above 1023, or 0 for any free one.`
  return undefined
}
