/** The Electron binary's path, or undefined when it is not installed (never downloads). */
export function electronBinary(): string | undefined
