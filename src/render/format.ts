import { FREE_REQUESTS_PER_MONTH, USD_PER_10K_REQUESTS } from '../plan/cost.js';
import { keyArnFor } from '../plan/key-reference.js';
import { schemeTraits } from '../plan/schemes.js';
import type { AccessRow, CostEstimate, KeyReference, PlanStep, Scheme } from '../types.js';
import { ROLE_POLICY_FILES } from './documents.js';

/*
 * Plain text shared by the output README and the CLI summary, so both say the same thing.
 * No colours and no Markdown: the caller decides how to frame it.
 */

const count = (value: number) => value.toLocaleString('en-US');
const usd = (value: number) => `$${value.toFixed(2)}`;

/** The access matrix as an indented list; long sentences do not fit a column layout. */
export function formatAccessTable(rows: AccessRow[]): string {
  const whoWidth = Math.max(...rows.map((row) => row.who.length));
  return rows
    .map((row) => {
      const principals = row.principals.length === 0 ? '(none given)' : row.principals.join(', ');
      return [
        `${row.who.padEnd(whoWidth)}  ${principals}`,
        `  may:         ${row.may}`,
        `  must never:  ${row.mustNever}`,
      ].join('\n');
    })
    .join('\n\n');
}

export function formatCost(cost: CostEstimate, scheme: Scheme): string {
  if (!schemeTraits(scheme).usesKmsKey) return NO_KMS_COST[scheme] ?? '';
  const yearlyWithout = Math.round(cost.monthlyUsdWithoutBucketKey * 12 * 100) / 100;
  const savingMonthly = Math.max(0, cost.monthlyUsdWithoutBucketKey - cost.monthlyUsdWithBucketKey);
  const key =
    cost.keysPerMonthUsd > 0
      ? `${usd(cost.keysPerMonthUsd)} a month for the new customer-managed key`
      : 'no new key: the existing key is already billed';
  return [
    `Estimate for ${count(cost.requestsPerMonth)} uploads + downloads a month, at KMS list prices`,
    `(${usd(USD_PER_10K_REQUESTS)} per 10,000 requests after ${count(FREE_REQUESTS_PER_MONTH)} free a month; your bill may differ):`,
    `  key:                   ${key}`,
    `  with a Bucket Key:     about ${count(cost.kmsRequestsWithBucketKey)} KMS requests -> ${usd(cost.monthlyUsdWithBucketKey)} a month, ${usd(cost.yearlyUsdWithBucketKey)} a year`,
    `  without a Bucket Key:  ${count(cost.kmsRequestsWithoutBucketKey)} KMS requests -> ${usd(cost.monthlyUsdWithoutBucketKey)} a month, ${usd(yearlyWithout)} a year`,
    `The Bucket Key (turned on here) saves about ${usd(savingMonthly)} a month (${usd(savingMonthly * 12)} a year):`,
    'S3 reuses a short-lived bucket-level key instead of calling KMS for every object request.',
    'The request reduction is an estimate (AWS quotes up to 99%); it depends on your access pattern.',
  ].join('\n');
}

const NO_KMS_COST: Partial<Record<Scheme, string>> = {
  'sse-s3': 'SSE-S3 adds no cost: S3 encrypts with keys it manages, and no KMS requests are made.',
  'sse-c':
    'SSE-C adds no S3 or KMS charge: no KMS requests are made. Keeping the key is your cost (for example AWS Secrets Manager: $0.40 a secret a month and $0.05 per 10,000 reads).',
  'client-app-key':
    'No KMS charges: the application encrypts with its own key and the bucket uses SSE-S3. Keeping the key is your cost (for example AWS Secrets Manager: $0.40 a secret a month).',
};

function keyName(key: KeyReference | undefined): string {
  return key === undefined ? 'the new key' : keyArnFor(key, 'the new key');
}

/** One line per step, for the CLI summary, setup.sh's progress output and the README. */
export function describeStep(step: PlanStep): string {
  switch (step.kind) {
    case 's3.createBucket':
      return `Create bucket ${step.bucket} in ${step.region} (skipped if it already exists)`;
    case 'kms.createKey':
      return `Create KMS key (tagged ${step.tags.map((tag) => `${tag.Key}=${tag.Value}`).join(', ')})`;
    case 'kms.createAlias':
      return `Create alias ${step.alias} for the key`;
    case 'kms.enableRotation':
      return `Enable automatic key rotation every ${step.rotationDays} days`;
    case 'kms.putKeyPolicy':
      return 'Set the key policy (policies/key-policy.json)';
    case 's3.putBucketEncryption':
      if (step.encryption.algorithm === 'aws:kms')
        return `Set default encryption of ${step.bucket} to SSE-KMS with ${keyName(step.encryption.key)}, Bucket Key on`;
      return step.encryption.blockedEncryptionTypes.includes('NONE')
        ? `Set default encryption of ${step.bucket} to SSE-S3 (AES256) and allow SSE-C (BlockedEncryptionTypes NONE)`
        : `Set default encryption of ${step.bucket} to SSE-S3 (AES256)`;
    case 's3.putPublicAccessBlock':
      return `Block all public access to ${step.bucket}`;
    case 's3.putBucketPolicy':
      return `Set the bucket policy of ${step.bucket} (policies/bucket-policy.json)`;
    case 'iam.putRolePolicy':
      return `Put inline policy ${step.policyName} on role ${step.role.name} (policies/${ROLE_POLICY_FILES[step.roleKind]})`;
  }
}
