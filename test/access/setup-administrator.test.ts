import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Scheme } from '../../src/types.js';
import { ACCOUNT, BUCKET, BUCKET_ARN, OBJECT_ARN, REGION, ROLE_NAMES, s3Request } from './simulate.js';

/*
 * The schemes without a KMS key still have guardrails that only the root user and the named
 * administrators may change. Without an administrator, setup.sh cannot be run again by anyone
 * but root (its first guarded write is refused), so the flag is accepted for every scheme.
 */
const NO_KMS_KEY: Scheme[] = ['sse-s3', 'sse-c', 'client-app-key'];
const GUARDED_WRITES = [
  's3:PutEncryptionConfiguration',
  's3:PutBucketPolicy',
  's3:PutBucketPublicAccessBlock',
];

function planFor(scheme: Scheme, keyAdminRoles: string[]) {
  return buildPlan(
    parseConfig({
      bucket: BUCKET,
      region: REGION,
      accountId: ACCOUNT,
      scheme,
      appRoles: [ROLE_NAMES.app],
      operatorRoles: [ROLE_NAMES.operator],
      auditorRoles: [ROLE_NAMES.auditor],
      keyAdminRoles,
    }),
  );
}

describe.each(NO_KMS_KEY)('%s with an administrator', (scheme) => {
  it('lets the named administrator change the guardrails, and still no unnamed administrator', async () => {
    const { documents } = planFor(scheme, [ROLE_NAMES.keyAdmin]);
    for (const action of GUARDED_WRITES) {
      expect(await s3Request(documents, 'keyAdmin', action, BUCKET_ARN), action).toBe('Allowed');
      expect(await s3Request(documents, 'admin', action, BUCKET_ARN), action).toBe('ExplicitlyDenied');
    }
  });

  it('gives the administrator no object access', async () => {
    const { documents } = planFor(scheme, [ROLE_NAMES.keyAdmin]);
    for (const action of ['s3:GetObject', 's3:PutObject']) {
      expect(await s3Request(documents, 'keyAdmin', action, OBJECT_ARN), action).not.toBe('Allowed');
    }
  });

  it('names the administrator in the access table, and warns when nobody is named', () => {
    const named = planFor(scheme, [ROLE_NAMES.keyAdmin]);
    expect(named.accessTable.find((row) => row.who === 'administrator')?.principals).toEqual([
      ROLE_NAMES.keyAdmin,
    ]);
    expect(named.warnings.join('\n')).not.toMatch(/No administrator/);
    const unnamed = planFor(scheme, []);
    expect(unnamed.warnings.join('\n')).toMatch(
      /No administrator: only the root user .* Name one with --key-admin-role ROLE/,
    );
  });
});
