// "New Task…" writes the task into the Markdown plan (the plan file stays the source of truth)
// and imports it again. Ids are always written out: an auto-assigned id could shift when a line
// is inserted, and the import refuses to change tasks that already ran.

export interface NewTaskLine {
  readonly taskId: string;
  readonly title: string;
  readonly dependsOn: readonly string[];
  /** Lines indented under the item: the agent's prompt beyond the title. */
  readonly prompt?: string;
}

const HEADING = /^ {0,3}(#{1,6})\s+(.*)$/;
const FENCE = /^ {0,3}(```|~~~)/;
const ITEM = /^\s*(?:[-*+]|\d+[.)])\s/;

/** The plan text with the task appended to the spec's section (a new `## specId: title` section if absent). */
export function insertTask(text: string, specId: string, specTitle: string, task: NewTaskLine): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const itemLines = [formatItem(task), ...(task.prompt ? task.prompt.split(/\r?\n/).map((line) => (line.trim() ? `  ${line}` : '')) : [])];

  let inFence = false;
  let start = -1;
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    if (FENCE.test(lines[i])) inFence = !inFence;
    if (inFence) continue;
    const heading = HEADING.exec(lines[i]);
    if (!heading) continue;
    if (start === -1 && new RegExp(`^${specId}\\b`).test(heading[2].trim())) start = i;
    else if (start !== -1) {
      end = i;
      break;
    }
  }
  if (start === -1) {
    while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
    return [...lines, '', `## ${specId}: ${specTitle}`, '', ...itemLines, ''].join(eol);
  }
  // After the section's last checklist item and the lines indented under it.
  let insertAt = start + 1;
  for (let i = start + 1; i < end; i++) {
    if (ITEM.test(lines[i]) || (/^\s+\S/.test(lines[i]) && insertAt === i)) insertAt = i + 1;
  }
  if (insertAt === start + 1 && lines[insertAt]?.trim() !== '') itemLines.unshift('');
  lines.splice(insertAt, 0, ...itemLines);
  return lines.join(eol);
}

function formatItem(task: NewTaskLine): string {
  const title = task.title.replace(/\s+/g, ' ').trim();
  const metadata = task.dependsOn.length > 0 ? ` {after: ${task.dependsOn.join(', ')}}` : '';
  return `- [ ] ${task.taskId}: ${title}${metadata}`;
}
