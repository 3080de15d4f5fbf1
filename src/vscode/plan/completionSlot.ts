// Which completion fits where the cursor is in a plan line (planCompletion.ts offers the items):
// apart from `vscode`, so it is tested in plain Node.
import { metadataField, type PlanKind } from '../../core';

export type CompletionSlot =
  | { readonly kind: 'key'; readonly used: readonly string[] }
  | { readonly kind: 'after' | 'agent' | 'priority' }
  | undefined;

const ITEM_START = /^\s*(?:[-*+][ \t]+\[[ xX]\]|\d{1,9}[.)])/;

/** What may be typed at the end of `before` (the line up to the cursor). */
export function completionSlot(before: string, kind: PlanKind): CompletionSlot {
  if (kind !== 'markdown') {
    if (/^\s*(?:-\s+)?agent:\s*[\w.-]*$/.test(before)) return { kind: 'agent' };
    if (/^\s*(?:-\s+)?priority:\s*\w*$/.test(before)) return { kind: 'priority' };
    if (/^\s*(?:-\s+)?dependsOn:\s*\[[^\]]*$/.test(before)) return { kind: 'after' };
    return undefined;
  }
  const open = before.lastIndexOf('{');
  if (open === -1 || before.includes('}', open) || !ITEM_START.test(before)) return undefined;
  const pairs = before.slice(open + 1).split(';');
  const current = pairs.pop()!;
  const colon = current.indexOf(':');
  if (colon === -1) return { kind: 'key', used: pairs.map((pair) => metadataField(pair.split(':')[0].trim()) ?? '').filter((field) => field !== '') };
  const field = metadataField(current.slice(0, colon).trim());
  if (field === 'dependsOn') return { kind: 'after' };
  if (field === 'agent') return { kind: 'agent' };
  if (field === 'priority') return { kind: 'priority' };
  return undefined;
}
