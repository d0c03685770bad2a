import { describe, expect, it } from 'vitest';
import { filesToMutate } from '../../scripts/mutate-changed.mjs';

// `npm run mutate:changed`: only files of the mutate list that changed are mutated.
describe('mutate:changed selects the changed files of the mutate list', () => {
  it('keeps files matched by a ** glob or named exactly, nothing else', () => {
    const mutate = ['src/plan/**/*.ts', 'src/render/shell-quote.ts'];
    const changed = [
      'src/plan/build-plan.ts',
      'src/plan/deep/nested.ts',
      'src/render/shell-quote.ts',
      'src/render/hcl-escape.ts',
      'src/planner.ts',
      'test/plan/build-plan.test.ts',
      'README.md',
    ];
    expect(filesToMutate(changed, mutate)).toEqual([
      'src/plan/build-plan.ts',
      'src/plan/deep/nested.ts',
      'src/render/shell-quote.ts',
    ]);
  });

  it('is empty when nothing of the list changed, so the script says "nothing to mutate"', () => {
    expect(filesToMutate(['README.md', 'test/config/x.test.ts'], ['src/config/**/*.ts'])).toEqual([]);
    expect(filesToMutate([], ['src/config/**/*.ts'])).toEqual([]);
  });

  it('reads braces, a single star within one folder, dots literally, and ! as an exclusion', () => {
    const mutate = ['src/apply/{executors,preflight}.ts', 'src/verify/*.ts', '!src/verify/fakes.ts'];
    const changed = [
      'src/apply/executors.ts',
      'src/apply/preflight.ts',
      'src/apply/diff.ts',
      'src/verify/checks.ts',
      'src/verify/fakes.ts',
      'src/verify/deep/checks.ts',
      'src/verify/checksXts',
    ];
    expect(filesToMutate(changed, mutate)).toEqual([
      'src/apply/executors.ts',
      'src/apply/preflight.ts',
      'src/verify/checks.ts',
    ]);
  });

  it('lists a file once, with forward slashes', () => {
    expect(filesToMutate(['src\\config\\fields.ts', 'src/config/fields.ts'], ['src/config/**/*.ts'])).toEqual(
      ['src/config/fields.ts'],
    );
  });
});
