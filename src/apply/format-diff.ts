import type { StepDiff, StepStatus } from './contract.js';

const MARK: Record<StepStatus, string> = { create: 'create  ', update: 'update  ', 'in-place': 'in place' };

/** The diff as a person reads it: one line per step, its details indented below. */
export function formatDiff(diff: StepDiff[]): string {
  return diff
    .flatMap((entry) => [
      `${MARK[entry.status]}  ${entry.title}`,
      ...(entry.status === 'in-place' ? [] : entry.details.map((line) => `            ${line}`)),
    ])
    .join('\n');
}

export function countChanges(diff: StepDiff[]): number {
  return diff.filter((entry) => entry.status !== 'in-place').length;
}
