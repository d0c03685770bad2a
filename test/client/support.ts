import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { parseConfig, withCallerAsKeyAdmin } from '../../src/config/parse-config.js';
import { readTemplates } from '../../src/output/read-templates.js';
import { bucketEncryptionConfiguration } from '../../src/plan/bucket-encryption.js';
import { buildPlan, resolveKeyArn } from '../../src/plan/build-plan.js';
import { renderPlan } from '../../src/render/render-plan.js';
import type { Plan, Scheme } from '../../src/types.js';
import { clientKmsPlan } from '../access/client-kms-plan.js';
import { REPO_ROOT, runProgramAsync, strangerEnv } from '../e2e/support/built-cli.js';
import { adminCredentials, clientsAs } from '../standin/accounts.js';
import { ACCOUNT_ID, ADMIN_ROLE_ARN, type Credentials, type StandIn } from '../standin/standin.js';

export const BUCKET = 'acme-ledgers';
export const REGION = 'eu-west-1';
export const ROLES = { app: 'ledger-app', operator: 'platform-ops', auditor: 'security-audit' } as const;

/** The Plan of a client-side scheme, as the administrator who sets it up would apply it. */
export function clientPlan(scheme: Extract<Scheme, 'client-kms' | 'client-app-key'>): Plan {
  const config = parseConfig({
    bucket: BUCKET,
    region: REGION,
    accountId: ACCOUNT_ID,
    scheme,
    appRoles: [ROLES.app],
    operatorRoles: [ROLES.operator],
    auditorRoles: [ROLES.auditor],
    createBucket: true,
    mode: 'apply',
  });
  // As apply does: the administrator running it keeps the key policy and guardrails.
  const withAdmin = scheme === 'client-kms' ? withCallerAsKeyAdmin(config, ADMIN_ROLE_ARN) : config;
  return scheme === 'client-kms' ? clientKmsPlan(withAdmin) : buildPlan(withAdmin);
}

/**
 * The Plan's steps carried out as the administrator, one SDK call each, through the stand-in
 * (so KMS's lockout check and every authorization are decided as in AWS). Returns the key ARN.
 */
export async function setUp(standIn: StandIn, plan: Plan): Promise<string | undefined> {
  const { s3, kms, iam } = await clientsAs(standIn, adminCredentials(standIn));
  let keyArn: string | undefined;
  const resolve = <T>(document: T) => (keyArn ? resolveKeyArn(document, keyArn) : document);
  for (const step of plan.steps) {
    switch (step.kind) {
      case 's3.createBucket':
        await s3.send(
          new CreateBucketCommand({
            Bucket: step.bucket,
            ObjectOwnership: 'BucketOwnerEnforced',
            CreateBucketConfiguration: { LocationConstraint: REGION },
          }),
        );
        break;
      case 'kms.createKey': {
        const created = await kms.send(
          new CreateKeyCommand({ Description: step.description, Policy: JSON.stringify(step.policy) }),
        );
        keyArn = created.KeyMetadata?.Arn;
        break;
      }
      case 'kms.createAlias':
        await kms.send(new CreateAliasCommand({ AliasName: step.alias, TargetKeyId: keyArn }));
        break;
      case 's3.putBucketEncryption':
        await s3.send(
          new PutBucketEncryptionCommand({
            Bucket: step.bucket,
            ServerSideEncryptionConfiguration: bucketEncryptionConfiguration(step.encryption, keyArn),
          }),
        );
        break;
      case 's3.putPublicAccessBlock':
        await s3.send(
          new PutPublicAccessBlockCommand({
            Bucket: step.bucket,
            PublicAccessBlockConfiguration: step.block,
          }),
        );
        break;
      case 's3.putBucketPolicy':
        await s3.send(
          new PutBucketPolicyCommand({ Bucket: step.bucket, Policy: JSON.stringify(resolve(step.policy)) }),
        );
        break;
      case 'iam.putRolePolicy':
        await iam.send(
          new PutRolePolicyCommand({
            RoleName: step.role.name,
            PolicyName: step.policyName,
            PolicyDocument: JSON.stringify(resolve(step.policy)),
          }),
        );
        break;
      // Rotation and a converging key policy change nothing a round trip sees.
      case 'kms.enableRotation':
      case 'kms.putKeyPolicy':
        break;
    }
  }
  for (const client of [s3, kms, iam]) client.destroy();
  return keyArn;
}

/**
 * The Plan rendered in-process; client/ written to a fresh folder whose node_modules is the
 * repository's (the pinned versions are the root's dev dependencies: no install, no network).
 */
export async function renderClient(plan: Plan): Promise<string> {
  const files = renderPlan(plan, await readTemplates());
  const dir = mkdtempSync(join(tmpdir(), 'ceb-client-'));
  for (const file of files.filter((each) => each.path.startsWith('client/'))) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content, file.executable ? { mode: 0o755 } : {});
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'client', 'node_modules'));
  return join(dir, 'client');
}

/** `node client.mjs ...` (or `node -e` with it as a library), as `who`, through the stand-in. */
export function runClient(
  standIn: StandIn,
  dir: string,
  args: string[],
  as: Credentials,
  env: Record<string, string> = {},
) {
  return runProgramAsync(
    'node',
    args[0] === '-e' || args[0] === '--input-type=module' ? args : ['client.mjs', ...args],
    {
      cwd: dir,
      env: strangerEnv(dir, { ...standIn.envAs(as), AWS_REGION: REGION, ...env }),
    },
  );
}
