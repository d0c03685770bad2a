import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { lockDigest } from '../../src/render/lock.js';
import { caseNamed, planFor } from './helpers/cases.js';
import { fileAt, render } from './helpers/render-case.js';

/*
 * The lock's digest is computed twice: by render (lockDigest) and by setup.sh's `digest` from
 * what the aws CLI prints. These must agree byte for byte, whatever the layout of the text.
 */

/** setup.sh's own digest function, taken from a rendered setup.sh, run by bash on `text`. */
async function bashDigest(text: string, withoutSha256sum = false): Promise<string> {
  const setup = fileAt(await render(planFor(caseNamed('kms-strict-new-key'))), 'setup.sh').content;
  const digest = /^digest\(\) \{\n[\s\S]*?\n\}$/m.exec(setup)?.[0];
  if (!digest) throw new Error('setup.sh has no digest function');
  // Without sha256sum on PATH (macOS), the shasum branch runs.
  const script = `${digest}\n${withoutSha256sum ? 'sha256sum() { return 127; }; command() { return 1; }\n' : ''}digest "$(cat)"`;
  const run = spawnSync('bash', ['-c', script], { input: text, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

describe('the lock digest: TypeScript and bash agree', () => {
  test.each([
    ['minified', '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow"}]}'],
    ['pretty', JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'A' }] }, null, 2)],
    ['tabs, CRLF and a trailing newline, as the CLI prints it', '{\r\n\t"Sid" : "A"\r\n}\n\n'],
    ['non-ASCII', '{"Sid":"Zugriff für Prüfer ✓"}'],
  ])('%s', async (_what, text) => {
    const expected = lockDigest(text);
    expect(expected).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await bashDigest(text)).toBe(expected);
  });

  test('without sha256sum (shasum -a 256), the same digest', async () => {
    const text = '{"Sid": "A"}';
    const hasShasum = spawnSync('bash', ['-c', 'command -v shasum']).status === 0;
    if (!hasShasum) return;
    expect(await bashDigest(text, true)).toBe(lockDigest(text));
  });

  test('whitespace is all it ignores', () => {
    expect(lockDigest('{"a": 1}')).toBe(lockDigest('{"a":1}\n'));
    expect(lockDigest('{"a":1}')).not.toBe(lockDigest('{"a":2}'));
  });
});
