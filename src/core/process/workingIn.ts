import { readlinkSync } from 'node:fs';
import { sep } from 'node:path';

/** Whether a process's current folder is inside `folder` (Linux /proc; elsewhere: unknown, so no). */
export function workingIn(pid: number, folder: string): boolean {
  try {
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    return cwd === folder || cwd.startsWith(`${folder}${sep}`);
  } catch {
    return false;
  }
}
