import { readFileSync, statSync } from 'node:fs';
import { GetRolePolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isWriteOperation, recordCalls } from '../../src/apply/call-log.js';
import { runApply } from '../../src/apply/run-apply.js';
import type { AwsClients } from '../../src/aws/clients.js';
import { OWN_SID_PREFIX } from '../../src/plan/bucket-policy.js';
import { resolveKeyArn } from '../../src/plan/build-plan.js';
import { type Moto, startMoto } from '../helpers/moto.js';
import { readEndState } from './read-back.js';
import {
  applyOptions,
  BUCKET,
  createRoles,
  motoClients,
  planFor,
  REGION,
  ROLES,
  recordingUi,
  useMotoEnvironment,
} from './support.js';

/*
 * Layer: integration against moto. Proves that apply merges with what others put on the
 * bucket and the role, and backs the old state up before writing. (What the merged policy
 * *means* to AWS is the simulator's job in the policy tests; moto ignores conditions.)
 */

const CLOUDFRONT_READ = {
  Sid: 'AllowCloudFrontRead',
  Effect: 'Allow',
  Principal: { Service: 'cloudfront.amazonaws.com' },
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
  Condition: {
    StringEquals: { 'AWS:SourceArn': 'arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE' },
  },
};
const STALE_OURS = {
  Sid: `${OWN_SID_PREFIX}FromAnOlderVersion`,
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:DeleteBucket',
  Resource: `arn:aws:s3:::${BUCKET}`,
};
const OLD_POLICY_TEXT = JSON.stringify(
  { Version: '2012-10-17', Id: 'team-policy', Statement: [CLOUDFRONT_READ, STALE_OURS] },
  null,
  2,
);
const UNRELATED_INLINE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'ReadQueue', Effect: 'Allow', Action: ['sqs:ReceiveMessage'], Resource: '*' }],
});

let moto: Moto;
let clients: AwsClients;

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnvironment(moto);
});

afterAll(async () => {
  clients?.destroy();
  await moto?.stop();
});

beforeEach(async () => {
  expect.hasAssertions();
  await moto.reset();
  clients?.destroy();
  clients = motoClients(moto);
  await createRoles(clients);
  await clients.s3.send(
    new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }),
  );
  await clients.s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: OLD_POLICY_TEXT }));
  await clients.iam.send(
    new PutRolePolicyCommand({
      RoleName: ROLES.app,
      PolicyName: 'unrelated-queue-access',
      PolicyDocument: UNRELATED_INLINE,
    }),
  );
});

describe('apply merges with existing policies', () => {
  it("keeps others' bucket-policy statements and inline policies, and backs the old policy up first", async () => {
    const plan = planFor({ createBucket: false });
    const options = applyOptions(motoClients(moto));
    const ui = recordingUi();
    const result = await runApply(plan, options, ui);
    const keyArn = result.keyArn as string;
    const end = await readEndState(clients, plan);

    // The foreign statement survives as it was, first, as it was placed.
    expect(end.bucketPolicy.Statement[0]).toEqual(CLOUDFRONT_READ);
    expect(JSON.stringify(end.bucketPolicy.Statement[0])).toBe(JSON.stringify(CLOUDFRONT_READ));
    expect(end.bucketPolicy.Id).toBe('team-policy');
    // Ours replace the stale statement of an older version; every Sid once.
    const sids = end.bucketPolicy.Statement.map((statement) => statement.Sid);
    expect(sids).toEqual(['AllowCloudFrontRead', ...plan.documents.bucketPolicy.Statement.map((s) => s.Sid)]);
    expect(end.bucketPolicy.Statement.slice(1)).toEqual(
      resolveKeyArn(plan.documents.bucketPolicy, keyArn).Statement,
    );

    const unrelated = await clients.iam.send(
      new GetRolePolicyCommand({ RoleName: ROLES.app, PolicyName: 'unrelated-queue-access' }),
    );
    expect(decodeURIComponent(unrelated.PolicyDocument ?? '')).toBe(UNRELATED_INLINE);

    const policyDiff = result.diff.find((step) => step.step === 's3.putBucketPolicy');
    expect(policyDiff?.status).toBe('update');
    expect(policyDiff?.details).toContain(`- ${STALE_OURS.Sid}`);
    expect(policyDiff?.details.join('\n')).toContain("kept untouched (not this tool's): AllowCloudFrontRead");

    const backupPath = result.backupPath as string;
    expect(ui.lines.some((line) => line.includes(backupPath))).toBe(true);
    expect(statSync(backupPath).mode & 0o777).toBe(0o600);
    const backup = JSON.parse(readFileSync(backupPath, 'utf8'));
    expect(backup.previous['s3.putBucketPolicy']).toBe(OLD_POLICY_TEXT);
    expect(backup.previous['s3.putBucketEncryption']).toBeNull();
    expect(backup.previous[`iam.putRolePolicy:${ROLES.app}`]).toEqual({
      role: ROLES.app,
      policyName: plan.rolePolicyNames.app,
      document: null,
    });
  });

  it('writes the backup before the first write call', async () => {
    const runClients = motoClients(moto);
    const options = applyOptions(runClients);
    let backupExistedAtFirstWrite: boolean | undefined;
    runClients.kms.middlewareStack.add(
      (next, context) => async (args) => {
        if (
          backupExistedAtFirstWrite === undefined &&
          isWriteOperation((context.commandName ?? '').replace(/Command$/, ''))
        ) {
          const { readdirSync } = await import('node:fs');
          backupExistedAtFirstWrite = readdirSync(options.backupDir).length === 1;
        }
        return next(args);
      },
      { step: 'initialize', name: 'backupCheck' },
    );
    const log = recordCalls(runClients);
    // The bucket exists, so the first write of all is CreateKey, on the KMS client.
    await runApply(planFor({ createBucket: false }), options, recordingUi());
    expect(log.writes()[0]?.operation).toBe('CreateKey');
    expect(backupExistedAtFirstWrite).toBe(true);
  });

  it('a re-run after a merge writes nothing, and an existing own statement that drifted is replaced in place', async () => {
    const plan = planFor({ createBucket: false });
    await runApply(plan, applyOptions(motoClients(moto)), recordingUi());
    const quiet = motoClients(moto);
    const quietLog = recordCalls(quiet);
    await runApply(plan, applyOptions(quiet), recordingUi());
    expect(quietLog.writes()).toEqual([]);

    // Someone edits one of our statements; the next run puts it back in the same position.
    const before = (await readEndState(clients, plan)).bucketPolicy;
    const drifted = structuredClone(before);
    const second = drifted.Statement[2] as Record<string, unknown>;
    second.Action = 's3:GetObject';
    await clients.s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(drifted) }));

    const fixing = motoClients(moto);
    const fixingLog = recordCalls(fixing);
    const result = await runApply(plan, applyOptions(fixing), recordingUi());
    expect(fixingLog.writes().map((call) => call.operation)).toEqual(['PutBucketPolicy']);
    expect(result.diff.find((step) => step.step === 's3.putBucketPolicy')?.details).toContain(
      `~ ${second.Sid} (Action changed)`,
    );
    expect((await readEndState(clients, plan)).bucketPolicy).toEqual(before);
  });
});
