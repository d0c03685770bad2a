import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument, PolicyStatement } from '../../src/types.js';
import {
  ACCOUNT,
  BUCKET_ARN,
  KEY_ARN,
  KMS_STAR,
  OBJECT_ARN,
  S3_CONTEXT,
  S3_VIA,
  SECURE_TRANSPORT,
  SSE,
  session,
  simulate,
  VIA_SERVICE,
} from './simulate.js';

/*
 * Pins down how the simulator behaves on the points the access-matrix tests rely on (see the
 * notes in simulate.ts), so an upgrade that changes one of them fails here, by name.
 */

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const policy = (...statements: Omit<PolicyStatement, 'Sid'>[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements.map((statement, index) => ({ Sid: `S${index}`, ...statement })),
});
const keyPolicy = (principal: string, action: string) =>
  policy({ Effect: 'Allow', Principal: { AWS: principal }, Action: action, Resource: '*' });
const admin = session('admin');

describe('KMS key policy as the resource policy (same account)', () => {
  it.each([
    ['root granted kms:*: identity kms:* counts', keyPolicy(ROOT, 'kms:*'), 'kms:Decrypt', 'Allowed'],
    [
      'root granted kms:Get*: identity counts for GetKeyPolicy',
      keyPolicy(ROOT, 'kms:Get*'),
      'kms:GetKeyPolicy',
      'Allowed',
    ],
    [
      'root granted kms:Get*: not for Decrypt',
      keyPolicy(ROOT, 'kms:Get*'),
      'kms:Decrypt',
      'ImplicitlyDenied',
    ],
    [
      'root not named: identity kms:* does not count',
      keyPolicy(`arn:aws:iam::${ACCOUNT}:role/app`, 'kms:*'),
      'kms:Decrypt',
      'ImplicitlyDenied',
    ],
    ['no key policy at all', undefined, 'kms:Decrypt', 'ImplicitlyDenied'],
  ])('%s', async (_name, resourcePolicy, action, expected) => {
    const result = await simulate({
      principal: admin,
      action,
      resource: KEY_ARN,
      identity: [KMS_STAR],
      resourcePolicy,
    });
    expect(result).toBe(expected);
  });

  it('a key policy naming a role ARN suffices without any identity policy, for its sessions only', async () => {
    const named = keyPolicy(`arn:aws:iam::${ACCOUNT}:role/app`, 'kms:DescribeKey');
    const asRole = (principal: string) =>
      simulate({ principal, action: 'kms:DescribeKey', resource: KEY_ARN, resourcePolicy: named });
    expect(await asRole(session('app'))).toBe('Allowed');
    expect(await asRole(`arn:aws:iam::${ACCOUNT}:role/app`)).toBe('Allowed');
    expect(await asRole(session('operator'))).toBe('ImplicitlyDenied');
    expect(await asRole(session('app', '999988887777'))).toBe('ImplicitlyDenied');
  });

  it('an explicit Deny beats every Allow', async () => {
    const denied = policy(
      { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
      {
        Effect: 'Deny',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Admin` },
        Action: 'kms:Decrypt',
        Resource: '*',
      },
    );
    const run = (action: string) =>
      simulate({ principal: admin, action, resource: KEY_ARN, identity: [KMS_STAR], resourcePolicy: denied });
    expect(await run('kms:Decrypt')).toBe('ExplicitlyDenied');
    expect(await run('kms:Encrypt')).toBe('Allowed');
  });
});

describe('context keys', () => {
  const denyHttp = policy({
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: `${BUCKET_ARN}/*`,
    Condition: { Bool: { [SECURE_TRANSPORT]: 'false' } },
  });
  const allowGet = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
  const get = (context: Record<string, string>) =>
    simulate({
      principal: session('app'),
      action: 's3:GetObject',
      resource: OBJECT_ARN,
      identity: [allowGet],
      resourcePolicy: denyHttp,
      context,
    });

  it('aws:SecureTransport is not filled in: without it the HTTP deny does not fire', async () => {
    expect(await get({})).toBe('Allowed');
    expect(await get({ [SECURE_TRANSPORT]: 'false' })).toBe('ExplicitlyDenied');
  });

  it('aws:PrincipalArn is not filled in from the principal', async () => {
    const byArn = policy({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app` } },
    });
    const run = (context: Record<string, string>) =>
      simulate({
        principal: session('app'),
        action: 's3:GetObject',
        resource: OBJECT_ARN,
        identity: [byArn],
        context,
      });
    expect(await run({})).toBe('ImplicitlyDenied');
    expect(await run({ 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app` })).toBe('Allowed');
  });

  it.each([
    ['a misspelt key', { 'aws:SecureTransprot': 'false' }],
    ['a key of another action', { [SSE]: 'AES256' }],
  ])('simulate() refuses %s (runSimulation drops it and only lists it)', async (_name, context) => {
    await expect(get(context)).rejects.toThrow(/context keys not valid for s3:GetObject/);
  });

  it('runSimulation drops kms:EncryptionContext:aws:s3:arn; simulate() works around it', async () => {
    const scoped = policy({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { [VIA_SERVICE]: S3_VIA, [S3_CONTEXT]: BUCKET_ARN } },
    });
    const request = (arn: string) => ({
      principal: session('app'),
      action: 'kms:Decrypt',
      resource: KEY_ARN,
      resourcePolicy: scoped,
      context: { [VIA_SERVICE]: S3_VIA, [S3_CONTEXT]: arn },
    });
    const raw = await runSimulation(
      {
        request: {
          principal: session('app'),
          action: 'kms:Decrypt',
          resource: { resource: KEY_ARN, accountId: ACCOUNT },
          contextVariables: request(BUCKET_ARN).context,
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: scoped,
      },
      {},
    );
    expect(raw.resultType === 'single' && raw.result.ignoredContextKeys).toEqual([S3_CONTEXT]);
    expect(raw.resultType === 'single' && raw.overallResult).toBe('ImplicitlyDenied');
    expect(await simulate(request(BUCKET_ARN))).toBe('Allowed');
    expect(await simulate(request(`${BUCKET_ARN}-other`))).toBe('ImplicitlyDenied');
  });

  it.each([
    ['StringNotEquals', { StringNotEquals: { [SSE]: 'aws:kms' } }, 'ExplicitlyDenied'],
    ['StringNotEqualsIfExists', { StringNotEqualsIfExists: { [SSE]: 'aws:kms' } }, 'ExplicitlyDenied'],
    [
      'StringNotEquals with a Null:false guard',
      { Null: { [SSE]: 'false' }, StringNotEquals: { [SSE]: 'aws:kms' } },
      'Allowed',
    ],
  ])(
    'a Deny on %s fires on a request without the key (unless guarded)',
    async (_name, condition, expected) => {
      const denyPut = policy(
        { Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: '*' },
        { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*', Condition: condition },
      );
      const put = await simulate({
        principal: session('app'),
        action: 's3:PutObject',
        resource: OBJECT_ARN,
        resourcePolicy: denyPut,
      });
      expect(put).toBe(expected);
    },
  );
});
