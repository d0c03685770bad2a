// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Terraform or shell text under test, not a JS template.
import { describe, expect, test } from 'vitest';
import { keyArnText } from '../../src/plan/key-reference.js';
import type { Plan, PlanStep } from '../../src/types.js';
import { KEY_ARN_PLACEHOLDER } from '../../src/types.js';
import { CASES, planFor } from './helpers/cases.js';
import { type Hcl, parseHcl, unescapeTemplate } from './helpers/hcl.js';
import { fileAt, render } from './helpers/render-case.js';

/*
 * The rendered Terraform, parsed by the HCL parser Terraform uses (via @cdktf/hcl2json).
 * There is no terraform binary here, so nothing below claims `terraform validate` or plan
 * ran: it proves the files parse and carry the Plan's exact documents and settings.
 */

const NEW_KEY_ARN = '${aws_kms_key.this.arn}';

/** A heredoc policy back to the Plan's form: the reference to the placeholder, escapes undone. */
function policyOf(text: string): unknown {
  return JSON.parse(unescapeTemplate(text.replaceAll(NEW_KEY_ARN, KEY_ARN_PLACEHOLDER)));
}

async function parseTerraform(plan: Plan) {
  const files = await render(plan);
  const parsed: Record<string, Hcl> = {};
  for (const name of ['versions.tf', 'variables.tf', 'main.tf', 'outputs.tf']) {
    parsed[name] = await parseHcl(name, fileAt(files, `terraform/${name}`).content);
  }
  return parsed as Record<'versions.tf' | 'variables.tf' | 'main.tf' | 'outputs.tf', Hcl>;
}

function only(resources: Hcl, type: string, name = 'this'): Hcl {
  const blocks = resources[type]?.[name];
  expect(blocks, `${type}.${name}`).toHaveLength(1);
  return blocks[0];
}

describe.each(CASES)('terraform/: $name', (renderCase) => {
  const plan = planFor(renderCase);
  const kms = plan.config.scheme === 'sse-kms';
  const newKey = plan.config.key?.kind === 'new';

  test('versions.tf requires hashicorp/aws 6.40 or newer (blocked_encryption_types without a perpetual diff); variables.tf defaults to the plan region', async () => {
    const tf = await parseTerraform(plan);
    const aws = tf['versions.tf'].terraform[0].required_providers[0].aws;
    expect(aws).toEqual({ source: 'hashicorp/aws', version: '>= 6.40' });
    const variables = tf['variables.tf'].variable;
    expect(variables.region[0].default).toBe(plan.config.region);
    expect(variables.tags[0].default).toEqual({});
  });

  test('the KMS key and alias exist only for a new key, with rotation and the Plan key policy', async () => {
    const resources = (await parseTerraform(plan))['main.tf'].resource;
    if (!newKey) {
      expect(resources.aws_kms_key).toBeUndefined();
      expect(resources.aws_kms_alias).toBeUndefined();
      return;
    }
    const key = only(resources, 'aws_kms_key');
    const rotation = plan.steps.find((step) => step.kind === 'kms.enableRotation') as Extract<
      PlanStep,
      { kind: 'kms.enableRotation' }
    >;
    expect(key.enable_key_rotation).toBe(true);
    expect(key.rotation_period_in_days).toBe(rotation.rotationDays);
    expect(policyOf(key.policy)).toEqual(plan.documents.keyPolicy);
    expect(key.tags).toContain('"create-encrypted-bucket:bucket"');
    expect(key.tags).toContain(`"${plan.config.bucket}"`);
    expect(key.bypass_policy_lockout_safety_check).toBeUndefined();
    const alias = only(resources, 'aws_kms_alias');
    expect(alias.name).toBe(plan.config.key?.kind === 'new' ? plan.config.key.alias : undefined);
    expect(alias.target_key_id).toBe('${aws_kms_key.this.key_id}');
  });

  test('aws_s3_bucket is present if and only if the bucket is to be created', async () => {
    const resources = (await parseTerraform(plan))['main.tf'].resource;
    const bucketRef = plan.config.createBucket ? '${aws_s3_bucket.this.id}' : plan.config.bucket;
    if (plan.config.createBucket) {
      expect(only(resources, 'aws_s3_bucket').bucket).toBe(plan.config.bucket);
      expect(only(resources, 'aws_s3_bucket_ownership_controls').rule[0].object_ownership).toBe(
        'BucketOwnerEnforced',
      );
    } else {
      expect(resources.aws_s3_bucket).toBeUndefined();
    }
    for (const type of [
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_policy',
    ]) {
      expect(only(resources, type).bucket, type).toBe(bucketRef);
    }
  });

  test('default encryption uses the full key ARN with the Bucket Key on (or AES256)', async () => {
    const resources = (await parseTerraform(plan))['main.tf'].resource;
    const rule = only(resources, 'aws_s3_bucket_server_side_encryption_configuration').rule[0];
    const byDefault = rule.apply_server_side_encryption_by_default[0];
    expect(byDefault.sse_algorithm).toBe(kms ? 'aws:kms' : 'AES256');
    expect(byDefault.kms_master_key_id).toBe(
      kms ? (newKey ? NEW_KEY_ARN : keyArnText(plan.keyArn)) : undefined,
    );
    expect(rule.bucket_key_enabled).toBe(kms);
    // The same native SSE-C switch as policies/bucket-encryption.json and apply: blocked, or
    // explicitly allowed for the SSE-C scheme.
    expect(rule.blocked_encryption_types).toEqual(plan.config.scheme === 'sse-c' ? ['NONE'] : ['SSE-C']);
  });

  test('public access block, bucket policy and each role policy carry the Plan documents', async () => {
    const main = (await parseTerraform(plan))['main.tf'];
    const resources = main.resource;
    expect(only(resources, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    // Our bucket policy is one heredoc either way: put as it is, or merged (see below).
    const ours = plan.config.createBucket
      ? only(resources, 'aws_s3_bucket_policy').policy
      : only(main.data, 'aws_iam_policy_document', 'bucket').override_policy_documents[0];
    expect(policyOf(ours)).toEqual(plan.documents.bucketPolicy);

    const roleSteps = plan.steps.filter((step) => step.kind === 'iam.putRolePolicy');
    const rolePolicies = Object.values(resources.aws_iam_role_policy ?? {}).map(
      (blocks) => (blocks as Hcl[])[0] as Hcl,
    );
    expect(rolePolicies).toHaveLength(roleSteps.length);
    for (const step of roleSteps) {
      const resource = rolePolicies.find((candidate) => candidate.role === step.role.name);
      expect(resource, step.role.name).toBeDefined();
      expect(resource?.name).toBe(step.policyName);
      expect(policyOf(resource?.policy)).toEqual(step.policy);
    }
  });

  test('the bucket policy: plain for a new bucket, merged into the current one for an existing bucket', async () => {
    const tf = await parseTerraform(plan);
    const main = tf['main.tf'];
    const policy = only(main.resource, 'aws_s3_bucket_policy');
    const variable = tf['variables.tf'].variable.existing_bucket_policy;
    if (plan.config.createBucket) {
      // A bucket this configuration creates has no policy to keep.
      expect(main.data).toBeUndefined();
      expect(variable).toBeUndefined();
      expect(policy.policy).toMatch(/^\{\n {2}"Version"/);
      return;
    }
    // aws_s3_bucket_policy replaces the whole policy: it puts the merged document...
    expect(policy.policy).toBe('${data.aws_iam_policy_document.bucket.json}');
    // ...whose source is the current policy (empty: none), and whose override, winning by Sid,
    // is exactly our heredoc.
    const merged = only(main.data, 'aws_iam_policy_document', 'bucket');
    expect(merged.source_policy_documents).toBe('${compact([trimspace(var.existing_bucket_policy)])}');
    expect(merged.override_policy_documents).toHaveLength(1);
    expect(policyOf(merged.override_policy_documents[0])).toEqual(plan.documents.bucketPolicy);
    expect(merged.statement).toBeUndefined();
    // Never the aws_s3_bucket_policy data source, which fails on a bucket without a policy.
    expect(main.data.aws_s3_bucket_policy).toBeUndefined();

    expect(variable).toHaveLength(1);
    expect(variable[0]).toMatchObject({ type: '${string}', default: '', nullable: false });
    expect(variable[0].description).toContain(
      `aws s3api get-bucket-policy --bucket ${plan.config.bucket} --query Policy --output text`,
    );
    expect(variable[0].validation[0].condition).toContain('can(jsondecode(var.existing_bucket_policy)');
  });

  test('outputs name the key ARN, the alias and the bucket', async () => {
    const outputs = (await parseTerraform(plan))['outputs.tf'].output;
    expect(outputs.bucket[0].value).toBe(
      plan.config.createBucket ? '${aws_s3_bucket.this.id}' : plan.config.bucket,
    );
    expect(outputs.key_arn?.[0].value).toBe(
      kms ? (newKey ? NEW_KEY_ARN : keyArnText(plan.keyArn)) : undefined,
    );
    expect(outputs.key_alias?.[0].value).toBe(newKey ? '${aws_kms_alias.this.name}' : undefined);
  });
});
