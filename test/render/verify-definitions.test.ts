import { describe, expect, test } from 'vitest';
import * as rendered from '../../src/render/verifier-definitions.js';
import { READ_BACK_CHECKS } from '../../src/verify/read-back-checks.js';
import { refusalProbes } from '../../src/verify/refusal-probes.js';
import {
  CLEANUP_CHECK,
  compliantEncryption,
  TEST_OBJECT_BODY,
  TEST_OBJECT_PREFIX,
  uploadCheckName,
} from '../../src/verify/test-object.js';
import type { VerifyTarget } from '../../src/verify/verify-target.js';

/*
 * verify.sh is rendered from the TypeScript verifier's definitions. Those that sit beside AWS
 * SDK imports reach render/ through src/render/verifier-definitions.ts (render must not load
 * the SDK); this holds them equal, so the two front ends cannot drift.
 */
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const TARGETS: VerifyTarget[] = [
  { bucket: 'b', region: 'eu-west-1', scheme: 'sse-kms', keyArn: KEY },
  { bucket: 'b', region: 'eu-west-1', scheme: 'sse-s3' },
];

describe("verify.sh's definitions are the verifier's", () => {
  test('names, prefix and body', () => {
    expect(rendered.READ_BACK_CHECKS).toEqual(READ_BACK_CHECKS);
    expect(rendered.CLEANUP_CHECK).toBe(CLEANUP_CHECK);
    expect(rendered.TEST_OBJECT_PREFIX).toBe(TEST_OBJECT_PREFIX);
    expect(rendered.TEST_OBJECT_BODY).toBe(TEST_OBJECT_BODY);
  });

  test.each(TARGETS)('uploads and probes for $scheme', (target) => {
    expect(rendered.uploadCheckName(target)).toBe(uploadCheckName(target));
    expect(rendered.compliantEncryption(target)).toEqual(compliantEncryption(target));
    const withoutKey = (encryption: Record<string, unknown>) => ({
      ...encryption,
      [rendered.SSE_C_KEY_FIELD]: encryption[rendered.SSE_C_KEY_FIELD] === undefined ? undefined : 'any',
    });
    expect(
      rendered.refusalProbes(target).map((probe) => ({ ...probe, encryption: withoutKey(probe.encryption) })),
    ).toEqual(refusalProbes(target).map((probe) => ({ ...probe, encryption: withoutKey(probe.encryption) })));
  });
});
