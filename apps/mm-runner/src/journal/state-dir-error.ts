/** The state folder, or a file in it, cannot be used: the message names it and says why. */
export class StateDirError extends Error {
  override readonly name = "StateDirError";
  readonly path: string;
  constructor(path: string, why: string, options?: ErrorOptions) {
    super(`${path}: ${why}`, options);
    this.path = path;
  }
}

/** `EACCES: permission denied` from a Node fs error, without its call and path. */
export function fsReason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === "EACCES" || code === "EPERM") return `permission denied (${code})`;
  if (code === "EROFS") return "read-only file system (EROFS)";
  if (code === "ENOTDIR") return `a part of the path is a file, not a folder (${code})`;
  if (code === "ENOSPC") return "no space left on the device (ENOSPC)";
  return code ? `${code}` : String(message);
}
