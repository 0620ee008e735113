/**
 * An expected publish failure: a sentence for the card and the receipt, and whether trying the
 * same publish again unchanged may work (a network blip, a full disk being cleared, a 5xx) as
 * opposed to needing someone to fix something first (a missing folder, a 4xx, a wrong password).
 */
export class PublishError extends Error {
  readonly retryable: boolean
  readonly detail: Record<string, unknown> | undefined

  constructor(
    message: string,
    options: { retryable: boolean; cause?: unknown; detail?: Record<string, unknown> },
  ) {
    super(message, { cause: options.cause })
    this.name = 'PublishError'
    this.retryable = options.retryable
    this.detail = options.detail
  }
}

export const errnoCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined

/**
 * A plain sentence for a file-system error while writing into `folder`. `folderExists`: the
 * folder was found a moment before, so ENOENT means it takes no new files (a system folder such
 * as /proc/1, or a virtual file system), not that it is missing.
 */
export function fsError(
  e: unknown,
  folder: string,
  folderExists = false,
  /** What the folder is for, as "…not one to ___". */
  use = 'publish into',
): PublishError {
  const code = errnoCode(e)
  const msg = (text: string, retryable: boolean) => new PublishError(text, { retryable, cause: e })
  switch (code) {
    case 'ENOENT':
      return folderExists
        ? msg(
            `The folder ${folder} exists but does not take new files: it is a system or virtual folder (such as /proc), not one to ${use}.`,
            false,
          )
        : msg(`The folder ${folder} does not exist.`, false)
    case 'ENOTDIR':
      return msg(`${folder} is not a folder.`, false)
    case 'EACCES':
    case 'EPERM':
      return msg(`Signoff is not allowed to write to the folder ${folder} (permission denied).`, false)
    case 'EROFS':
      return msg(
        `The folder ${folder} is on a read-only disk or share, so nothing can be written there.`,
        false,
      )
    case 'ENOSPC':
    case 'EDQUOT':
      return msg(
        `The disk holding ${folder} is full (or over its quota). Free some space and publish again.`,
        true,
      )
    case 'EMFILE':
    case 'ENFILE':
    case 'EBUSY':
    case 'EAGAIN':
      return msg(`The folder ${folder} is busy right now (${code}). Try again in a moment.`, true)
    case 'ENAMETOOLONG':
      return msg(
        `The file name is too long for the folder ${folder}. Use a shorter file name template.`,
        false,
      )
    case 'EIO':
      return msg(`The disk holding ${folder} reported an input/output error.`, true)
    default:
      return msg(
        `Could not write to the folder ${folder}: ${e instanceof Error ? e.message : String(e)}`,
        false,
      )
  }
}
