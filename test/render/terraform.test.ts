// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Terraform or shell text under test, not a JS template.
import { describe, expect, test } from 'vitest';
import { keyArnText } from '../../src/plan/key-reference.js';
import { renderPlan } from '../../src/render/index.js';
import { lockPlan } from '../../src/render/lock-plan.js';
import type { Plan, PlanStep } from '../../src/types.js';
import { KEY_ARN_PLACEHOLDER } from '../../src/types.js';
import { CASES, caseNamed, planFor } from './helpers/cases.js';
import { discoveredAccount } from './helpers/discovered-account.js';
import { type Hcl, parseHcl, unescapeTemplate } from './helpers/hcl.js';
import { fileAt, loadTemplates, render } from './helpers/render-case.js';

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
    // Rendered offline, the bucket policy is put as it is, new bucket or not (see below).
    expect(policyOf(only(resources, 'aws_s3_bucket_policy').policy)).toEqual(plan.documents.bucketPolicy);

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

  test('the bucket policy: policies/bucket-policy.json as it is, no merge and no variable in HCL; offline, nothing to check against', async () => {
    const tf = await parseTerraform(plan);
    const main = tf['main.tf'];
    const policy = only(main.resource, 'aws_s3_bucket_policy');
    expect(main.data).toBeUndefined();
    expect(main.locals).toBeUndefined();
    expect(policy.lifecycle).toBeUndefined();
    expect(tf['variables.tf'].variable.existing_bucket_policy).toBeUndefined();
    expect(policy.policy).toMatch(/^\{\n {2}"Version"/);
    const files = await render(plan);
    const text = fileAt(files, 'terraform/main.tf').content;
    const readme = fileAt(files, 'README.md').content.replace(/\s+/g, ' ');
    if (!plan.config.createBucket) {
      expect(readme).toContain('Terraform merges nothing itself.');
      expect(readme).toContain(
        'Rendered offline, nothing was merged and `terraform apply` would replace any policy the bucket has',
      );
      expect(readme).toContain(
        'render again with credentials for the account (or `--discover`), the same instruction `setup.sh` gives',
      );
      // The same instruction setup.sh gives when it finds a policy it could not merge.
      expect(text).toContain('Rendered without reading the account');
      expect(text).toContain('render again with credentials for the\n# account (or --discover)');
    } else {
      expect(text).not.toContain('Rendered without reading the account');
      expect(readme).not.toContain("Terraform and the bucket's current policy");
    }
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

/*
 * Rendered with credentials for an existing bucket: lockPlan merged in TypeScript (as apply
 * does) and main.tf puts that very document, guarded like setup.sh's lock.
 */
describe('terraform/ rendered after reading the account (existing bucket)', () => {
  const GRANT = {
    Sid: 'AllowCloudFrontServicePrincipalReadOnly',
    Effect: 'Allow',
    Principal: { Service: 'cloudfront.amazonaws.com' },
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::acme-archive/*',
  };
  // Compact, as S3 gives a stored policy back; with a `${` that must stay literal in HCL.
  const READ = JSON.stringify({
    Version: '2012-10-17',
    Statement: [GRANT, { ...GRANT, Sid: 'Home', Resource: 'arn:aws:s3:::acme-archive/${aws:username}/*' }],
  });
  async function renderLocked(name: string, policy: string | undefined) {
    const locked = lockPlan(planFor(caseNamed(name)), discoveredAccount(policy));
    const files = renderPlan(locked.plan, await loadTemplates(), locked.lock);
    const text = fileAt(files, 'terraform/main.tf').content;
    return { files, text, main: await parseHcl('main.tf', text) };
  }

  test.each(['kms-existing-key', 'kms-compatible-all-roles'])(
    '%s: puts the merged document, byte-equal to policies/bucket-policy.json; the data source and a precondition check the bucket still holds what render read, or what this puts',
    async (name) => {
      const { files, text, main } = await renderLocked(name, READ);
      const merged = fileAt(files, 'policies/bucket-policy.json').content;
      expect(
        JSON.parse(merged)
          .Statement.slice(0, 2)
          .map((s: { Sid: string }) => s.Sid),
      ).toEqual([GRANT.Sid, 'Home']);
      const newKey = planFor(caseNamed(name)).config.key?.kind === 'new';
      const [locals] = main.locals;
      // Byte-equal: the local is the file's text; a new key's ARN goes in by replace(), as setup.sh does.
      expect(unescapeTemplate(locals.bucket_policy)).toBe(merged);
      expect(JSON.parse(unescapeTemplate(locals.bucket_policy_at_render))).toEqual(JSON.parse(READ));
      expect(unescapeTemplate(locals.bucket_policy_at_render).trim()).toBe(READ);
      expect(only(main.data, 'aws_s3_bucket_policy', 'current').bucket).toBe(
        planFor(caseNamed(name)).config.bucket,
      );
      const resource = only(main.resource, 'aws_s3_bucket_policy');
      expect(resource.policy).toBe(
        newKey
          ? '${replace(local.bucket_policy, "<KEY_ARN>", aws_kms_key.this.arn)}'
          : '${local.bucket_policy}',
      );
      const [precondition] = resource.lifecycle[0].precondition;
      const current = 'data.aws_s3_bucket_policy.current.policy';
      // A re-run: the policy this puts. With a new key, known at plan only with any key ARN
      // read as the placeholder (the key does not exist before the first apply).
      const asPut = newKey
        ? `jsondecode(replace(${current}, "/arn:[a-z-]+:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+/", "<KEY_ARN>")) == jsondecode(local.bucket_policy)`
        : `jsondecode(${current}) == jsondecode(local.bucket_policy)`;
      expect(precondition.condition.replace(/\s+/g, ' ')).toBe(
        `\${( jsondecode(${current}) == jsondecode(local.bucket_policy_at_render) || ${asPut} )}`,
      );
      if (newKey) {
        // The pattern matches the key ARNs this plan's policy names, and nothing of the grant.
        const pattern = /arn:[a-z-]+:kms:[a-z0-9-]+:[0-9]{12}:key\/[0-9a-f-]+/g;
        expect(merged).toContain(KEY_ARN_PLACEHOLDER);
        const arn = 'arn:aws:kms:eu-west-1:123456789012:key/0b7e1c52-5d1a-4c5e-9f5e-4a7f8e2d9c01';
        expect(merged.replaceAll(KEY_ARN_PLACEHOLDER, arn).replace(pattern, KEY_ARN_PLACEHOLDER)).toBe(
          merged,
        );
        expect(READ.replace(pattern, '')).toBe(READ);
      }
      expect(precondition.error_message).toContain(
        'the account changed since this was rendered; render again (with credentials for the account, or --discover).',
      );
      expect(precondition.error_message).toMatch(/^[A-Z].*\.$/);
      // No merge rule of its own: no policy document data source, no pasted variable.
      expect(main.data.aws_iam_policy_document).toBeUndefined();
      expect(text).not.toMatch(/override_policy_documents|source_policy_documents|existing_bucket_policy/);
    },
  );

  test('read, the bucket had no policy: ours alone, and no data source (it fails on a bucket without a policy)', async () => {
    const { files, text, main } = await renderLocked('kms-existing-key', undefined);
    expect(main.data).toBeUndefined();
    const resource = only(main.resource, 'aws_s3_bucket_policy');
    expect(unescapeTemplate(resource.policy)).toBe(fileAt(files, 'policies/bucket-policy.json').content);
    expect(text).toContain('the bucket had no policy');
    expect(text).not.toContain('Rendered without reading the account');
  });
});
