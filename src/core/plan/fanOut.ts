// Fan-out: one planned task becomes N children, one per
// listed item or per file matching a glob. The parent stays in the plan as their container.

import { glob } from '../lazyGlob';
import type { FanOut } from '../model';
import type { UncheckedTask } from './validateTasks';

/** Dependency and VCS folders are never work items, and globbing them is slow. */
const NEVER_FANNED_OUT = ['**/node_modules/**', '**/.git/**'];

/** The items to fan out over; files are relative to `baseDir`, sorted so the children's ids are stable. */
export async function fanOutItems(fanOut: FanOut, baseDir: string): Promise<string[]> {
  if (fanOut.kind === 'items') return [...fanOut.items];
  const files = await glob(fanOut.glob, { cwd: baseDir, onlyFiles: true, ignore: NEVER_FANNED_OUT });
  return files.sort();
}

/**
 * One child of a fan-out parent. `{item}` in the parent's title, prompt and files is replaced by
 * the item; a title or prompt without the placeholder gets the item appended instead, so each
 * child's agent knows its share. A child per file may also touch that file.
 * Children inherit everything else and wait for what the parent waits for.
 */
export function fanOutChild(parent: UncheckedTask & { readonly fanOut: FanOut }, id: string, item: string): UncheckedTask {
  const substitute = (text: string): string => text.split('{item}').join(item);
  const label = parent.fanOut.kind === 'files' ? 'File' : 'Item';
  return {
    ...parent,
    id,
    title: parent.title.includes('{item}') ? substitute(parent.title) : `${parent.title} (${item})`,
    prompt: parent.prompt.includes('{item}') ? substitute(parent.prompt) : `${parent.prompt}\n\n${label}: ${item}`,
    files: [...parent.files.map(substitute), ...(parent.fanOut.kind === 'files' ? [item] : [])],
    parentId: parent.id,
    strategy: undefined,
    threshold: undefined,
    fanOut: undefined,
  };
}
