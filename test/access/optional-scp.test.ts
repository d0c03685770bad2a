import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/types.js';
import {
  ACCOUNT,
  ADMINISTRATOR_ACCESS,
  documentsFor,
  KMS_VARIANTS,
  PRINCIPAL_ARN,
  principalArn,
  session,
  simulate,
  type Variant,
  type Who,
} from './simulate.js';

/*
 * The residual risk (issue 9): an IAM administrator can change an application role's trust
 * policy and assume it. policies/optional-scp.json closes that for AWS Organizations member
 * accounts; judged by the same simulator, as a service control policy over AdministratorAccess.
 */

// Built per test, never at load: a plan built while the file loads escapes the mutation run.
const scp = () => documentsFor(KMS_VARIANTS[0] as Variant).optionalScp as PolicyDocument;
const APP_ROLE = principalArn('app');
const asAdministrator = (who: Who, action: string, resource: string, scps?: PolicyDocument[]) =>
  simulate({
    principal: session(who),
    action,
    resource,
    identity: [ADMINISTRATOR_ACCESS],
    context: { [PRINCIPAL_ARN]: principalArn(who) },
    ...(scps ? { scps } : {}),
  });

const TAKEOVER = [
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DeleteRole',
];

describe('the optional SCP', () => {
  it.each(TAKEOVER)('without it, an unnamed administrator may %s on the application role', async (action) => {
    expect(await asAdministrator('admin', action, APP_ROLE)).toBe('Allowed');
  });
  it.each(TAKEOVER)(
    'with it, an unnamed administrator may not %s on the application role',
    async (action) => {
      expect(await asAdministrator('admin', action, APP_ROLE, [scp()])).toBe('ExplicitlyDenied');
    },
  );
  it('a key administrator keeps that power (it could change the key policy anyway)', async () => {
    expect(await asAdministrator('keyAdmin', 'iam:UpdateAssumeRolePolicy', APP_ROLE, [scp()])).toBe(
      'Allowed',
    );
  });
  it('other roles of the account are untouched', async () => {
    const other = `arn:aws:iam::${ACCOUNT}:role/unrelated`;
    expect(await asAdministrator('admin', 'iam:UpdateAssumeRolePolicy', other, [scp()])).toBe('Allowed');
  });
});
