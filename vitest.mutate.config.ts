import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/*
 * The tests Stryker runs (`npm run mutate`): those that assert behaviour of the security core
 * directly and finish in seconds. Left out on purpose:
 * - golden files (test/render/golden.test.ts): they show a change, they do not prove a
 *   property, so a mutant only they catch must count as a survivor;
 * - test/e2e: it runs the built bundle in dist/, which never contains a mutant;
 * - the fault-injection sweep (8 s, 11 applies) and the rendered scripts against moto and the
 *   aws CLI: seconds for every mutant they cover. They still run in `npm test`.
 */
// Not mergeConfig: it would append this include list to the base one, which runs everything.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'test/guards/**/*.test.ts',
      'test/access/**/*.test.ts',
      'test/config/**/*.test.ts',
      'test/plan/**/*.test.ts',
      'test/cli/input-validation.test.ts',
      'test/render/quoting.test.ts',
      'test/render/render-plan.test.ts',
      'test/render/terraform.test.ts',
      'test/apply/{apply,diff,discover-bucket,errors,executors,merge,merge-bucket-policy,preflight,variants}.test.ts',
      'test/reencrypt/{reencrypt.mock,batch-generated,checkpoint,render}.test.ts',
      'test/verify/{verify-setup.mock,run-verify-command,refusal-probes}.test.ts',
    ],
  },
});
