import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Enforcement, Scheme } from '../../src/types.js';
import { ACCOUNT, BUCKET, REGION, ROLE_NAMES } from './simulate.js';

/*
 * client-app-key's bucket layer is sse-s3's, document for document: no KMS key, so the sse-s3
 * access matrix (matrix-roles, matrix-uploads) is its matrix too. What keeps the operator from
 * the plaintext is the application's master key, which no AWS policy sees: proven end to end in
 * test/client/client-app-key-round-trip.test.ts.
 */
const documents = (scheme: Scheme, enforcement: Enforcement) =>
  buildPlan(
    parseConfig({
      bucket: BUCKET,
      region: REGION,
      accountId: ACCOUNT,
      scheme,
      enforcement,
      appRoles: [ROLE_NAMES.app],
      operatorRoles: [ROLE_NAMES.operator],
      auditorRoles: [ROLE_NAMES.auditor],
    }),
  ).documents;

describe.each(['strict', 'compatible'] as const)('client-app-key, %s', (enforcement) => {
  it('has the documents of sse-s3 and no key policy', () => {
    const appKey = documents('client-app-key', enforcement);
    expect(appKey.keyPolicy).toBeUndefined();
    expect(appKey).toEqual(documents('sse-s3', enforcement));
  });
});
