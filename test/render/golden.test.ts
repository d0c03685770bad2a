import { expect, test } from 'vitest';
import { caseNamed, planFor } from './helpers/cases.js';
import { render } from './helpers/render-case.js';

/*
 * One case rendered in full into test/render/golden/, so any change to the output shows up
 * as a diff in review. After an intended change: npx vitest run test/render/golden -u
 */
test('kms-strict-new-key renders exactly the golden files', async () => {
  const files = await render(planFor(caseNamed('kms-strict-new-key')));
  expect(files.length).toBeGreaterThan(10);
  for (const file of files) {
    await expect(file.content, file.path).toMatchFileSnapshot(`golden/${file.path}`);
  }
});

test('sse-c-new-bucket renders exactly the golden files (no key among them)', async () => {
  const files = await render(planFor(caseNamed('sse-c-new-bucket')));
  for (const file of files) {
    await expect(file.content, file.path).toMatchFileSnapshot(`golden-sse-c/${file.path}`);
  }
});
