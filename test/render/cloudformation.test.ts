// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Fn::Sub text under test, not a JS template.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseConfig, withCallerAsKeyAdmin } from '../../src/config/parse-config.js';
import { bucketEncryptionConfiguration } from '../../src/plan/bucket-encryption.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { keyArnText } from '../../src/plan/key-reference.js';
import { withKeyArn } from '../../src/render/cloudformation-view.js';
import { ROLE_POLICY_FILES } from '../../src/render/index.js';
import type { Plan, PlanStep, RenderedFile } from '../../src/types.js';
import { KEY_ARN_PLACEHOLDER } from '../../src/types.js';
import { MOTO_ACCOUNT_ID } from '../helpers/moto.js';
import { parseYamlAll } from './cloudformation-parse.js';
import {
  cloudFormationState,
  type Json,
  NEW_KEY_ARN,
  type CfnResource as Resource,
  type CfnTemplate as Template,
  unsubstitute,
} from './cloudformation-state.js';
import { CASES, caseNamed, planFor } from './helpers/cases.js';
import { fileAt, render, writeToTemp } from './helpers/render-case.js';

/*
 * cloudformation/template.yaml for every render case: clean under cfn-lint (one run over all
 * templates: it is slow to start), read back by PyYAML, and carrying exactly the Plan's
 * documents: each policy, with the key reference turned back into <KEY_ARN>, serialises to the
 * bytes of its file in policies/.
 */

const CALLER_ARN = `arn:aws:iam::${MOTO_ACCOUNT_ID}:user/alice`;

interface Rendered {
  name: string;
  plan: Plan;
  files: RenderedFile[];
  template?: Template;
}

/** The plans of test/render/helpers/cases.ts, and one as apply builds it (caller as key admin). */
function plans(): { name: string; plan: Plan }[] {
  return [
    ...CASES.map((renderCase) => ({ name: renderCase.name, plan: planFor(renderCase) })),
    {
      name: 'kms-new-key-caller-as-key-admin',
      plan: buildPlan(withCallerAsKeyAdmin(parseConfig(caseNamed('kms-strict-new-key').answers), CALLER_ARN)),
    },
  ];
}

/** Byte equality with policies/<file>: the same serialisation as documents.ts. */
function expectFileBytes(files: RenderedFile[], file: string, document: Json) {
  expect(`${JSON.stringify(unsubstitute(document), null, 2)}\n`, file).toBe(
    fileAt(files, `policies/${file}`).content,
  );
}

/** Nothing for CloudFormation to hold: no template file at all. */
function expectNoTemplate(files: RenderedFile[]) {
  expect(files.map((file) => file.path)).not.toContain('cloudformation/template.yaml');
}

function ofType(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

function roleSteps(plan: Plan) {
  return plan.steps.filter(
    (step): step is Extract<PlanStep, { kind: 'iam.putRolePolicy' }> => step.kind === 'iam.putRolePolicy',
  );
}

const rendered: Rendered[] = [];
let lint: { status: number | null; output: string; paths: string[] };

beforeAll(async () => {
  for (const { name, plan } of plans()) rendered.push({ name, plan, files: await render(plan) });
  const withTemplate = rendered.filter((entry) =>
    entry.files.some((file) => file.path === 'cloudformation/template.yaml'),
  );
  const parsed = parseYamlAll(
    withTemplate.map((entry) => fileAt(entry.files, 'cloudformation/template.yaml').content),
  );
  withTemplate.forEach((entry, index) => {
    entry.template = parsed[index] as Template;
  });
  const dirs = await Promise.all(
    withTemplate.map((entry) =>
      writeToTemp([fileAt(entry.files, 'cloudformation/template.yaml')], `ceb-cfn-${entry.name}-`),
    ),
  );
  const paths = dirs.map((dir) => join(dir, 'cloudformation/template.yaml'));
  // Checked against every region a case deploys to (resource types and ARNs vary by region).
  const regions = [...new Set(rendered.map((entry) => entry.plan.config.region))];
  const result = spawnSync('cfn-lint', ['--include-checks', 'I', '--regions', ...regions, '--', ...paths], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  lint = { status: result.status, output: `${result.stdout}${result.stderr}${result.error ?? ''}`, paths };
}, 180_000);

test('cfn-lint passes every template without an error, warning or note', () => {
  expect(lint.paths.length).toBeGreaterThanOrEqual(plans().length - 1);
  expect(lint.output).toBe('');
  expect(lint.status).toBe(0);
});

test('withKeyArn: a string holding the placeholder becomes Fn::Sub, other ${ kept literal', () => {
  expect(withKeyArn({ a: ['<KEY_ARN>', 'x'] }, NEW_KEY_ARN)).toEqual({ a: [NEW_KEY_ARN, 'x'] });
  const sub = withKeyArn('<KEY_ARN>/${aws:username}', NEW_KEY_ARN);
  expect(sub).toEqual({ 'Fn::Sub': '${EncryptionKey.Arn}/${!aws:username}' });
  expect(unsubstitute(sub)).toBe('<KEY_ARN>/${aws:username}');
  expect(withKeyArn('${aws:username}', NEW_KEY_ARN)).toBe('${aws:username}');
});

describe.each(plans().map(({ name }) => ({ name })))('cloudformation/: $name', ({ name }) => {
  const entry = () => {
    const found = rendered.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`not rendered: ${name}`);
    return found;
  };

  test('a template exactly when there is something for CloudFormation to hold; a README always', () => {
    const { plan, files, template } = entry();
    const expected =
      plan.config.key?.kind === 'new' || plan.config.createBucket || roleSteps(plan).length > 0;
    expect(template !== undefined).toBe(expected);
    const readme = fileAt(files, 'cloudformation/README.md').content;
    expect(readme).toContain(`# CloudFormation: s3://${plan.config.bucket}`);
    if (!expected) expect(readme).toContain('There is no `template.yaml` here');
    if (plan.config.key?.kind === 'new' || plan.config.createBucket) {
      // The key and bucket policies let only these change what the stack manages.
      const admins = [
        `arn:aws:iam::${MOTO_ACCOUNT_ID}:root`,
        ...plan.config.roles.keyAdmin.map((role) => role.arn),
      ];
      for (const arn of admins) expect(readme).toContain(`- \`${arn}\``);
    } else {
      expect(readme).not.toContain('## Who may deploy it');
    }
    if (template) expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
  });

  test('the key and alias only for a new key: the Plan key policy, rotation and tags', () => {
    const { plan, files, template } = entry();
    if (!template) return expectNoTemplate(files);
    const keys = ofType(template, 'AWS::KMS::Key');
    const aliases = ofType(template, 'AWS::KMS::Alias');
    if (plan.config.key?.kind !== 'new') {
      expect(keys).toEqual([]);
      expect(aliases).toEqual([]);
      expect(JSON.stringify(template)).not.toContain('EncryptionKey');
      return;
    }
    expect(keys.map(([id]) => id)).toEqual(['EncryptionKey']);
    const key = template.Resources.EncryptionKey as Resource;
    const rotation = plan.steps.find((step) => step.kind === 'kms.enableRotation');
    expect(rotation).toBeDefined();
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.RotationPeriodInDays).toBe(
      rotation?.kind === 'kms.enableRotation' && rotation.rotationDays,
    );
    expectFileBytes(files, 'key-policy.json', key.Properties.KeyPolicy);
    const createKey = plan.steps.find((step) => step.kind === 'kms.createKey');
    expect(key.Properties.Tags).toEqual(createKey?.kind === 'kms.createKey' && createKey.tags);
    expect(key.Properties.Description).toBe(createKey?.kind === 'kms.createKey' && createKey.description);
    expect(key.Properties.BypassPolicyLockoutSafetyCheck).toBeUndefined();
    expect([key.DeletionPolicy, key.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    expect(aliases).toEqual([
      [
        'EncryptionKeyAlias',
        {
          Type: 'AWS::KMS::Alias',
          Properties: { AliasName: plan.config.key.alias, TargetKeyId: { Ref: 'EncryptionKey' } },
        },
      ],
    ]);
    expect(template.Outputs.KeyArn?.Value).toEqual(NEW_KEY_ARN);
  });

  test('the bucket and its policy only when the tool creates the bucket, as policies/ says', () => {
    const { plan, files, template } = entry();
    if (!template) return expectNoTemplate(files);
    const s3 = Object.values(template.Resources).filter((resource) => resource.Type.startsWith('AWS::S3::'));
    if (!plan.config.createBucket) {
      // Neither a bucket nor an AWS::S3::BucketPolicy, which would replace the bucket's whole policy.
      expect(s3).toEqual([]);
      expect(template.Outputs.BucketName?.Value).toBe(plan.config.bucket);
      const readme = fileAt(files, 'cloudformation/README.md').content;
      expect(readme).toContain('so the bucket\npolicy is left out too');
      expect(readme).toContain('./setup.sh');
      return;
    }
    expect(s3.map((resource) => resource.Type).sort()).toEqual(['AWS::S3::Bucket', 'AWS::S3::BucketPolicy']);
    const bucket = template.Resources.Bucket as Resource;
    expect(bucket.Type).toBe('AWS::S3::Bucket');
    expect([bucket.DeletionPolicy, bucket.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    const props = bucket.Properties as Record<string, Record<string, Json>>;
    expect(props.BucketName).toBe(plan.config.bucket);
    // The CloudFormation shape of policies/bucket-encryption.json: one property renamed.
    const rules = (
      props.BucketEncryption?.ServerSideEncryptionConfiguration as Record<string, Json>[] | undefined
    )?.map(({ ServerSideEncryptionByDefault, ...rest }) => ({
      ApplyServerSideEncryptionByDefault: ServerSideEncryptionByDefault,
      ...rest,
    }));
    expectFileBytes(files, 'bucket-encryption.json', { Rules: rules });
    expectFileBytes(files, 'public-access-block.json', props.PublicAccessBlockConfiguration);
    expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    const policy = template.Resources.BucketPolicy as Resource;
    expect(policy.Type).toBe('AWS::S3::BucketPolicy');
    expect(policy.Properties.Bucket).toEqual({ Ref: 'Bucket' });
    expectFileBytes(files, 'bucket-policy.json', policy.Properties.PolicyDocument);
    expect(template.Outputs.BucketName?.Value).toEqual({ Ref: 'Bucket' });
  });

  test('one AWS::IAM::RolePolicy per role the plan puts an inline policy on, never on the caller', () => {
    const { plan, files, template } = entry();
    const steps = roleSteps(plan);
    if (!template) {
      expect(steps).toEqual([]);
      return;
    }
    const resources = ofType(template, 'AWS::IAM::RolePolicy');
    expect(
      resources.map(([, resource]) => [resource.Properties.RoleName, resource.Properties.PolicyName]),
    ).toEqual(steps.map((step) => [step.role.name, step.policyName]));
    for (const [id] of resources) expect(id).toMatch(/^[A-Za-z0-9]+$/);
    steps.forEach((step, index) => {
      expectFileBytes(
        files,
        ROLE_POLICY_FILES[step.roleKind],
        resources[index]?.[1].Properties.PolicyDocument,
      );
    });
    const callers = plan.config.roles.keyAdmin.filter((role) => role.addedAsCaller);
    for (const caller of callers) {
      expect(resources.map(([, resource]) => resource.Properties.RoleName)).not.toContain(caller.name);
    }
    if (name === 'kms-new-key-caller-as-key-admin') {
      // The caller is a key administrator by the key policy, yet gets no inline policy.
      expect(callers.map((role) => role.arn)).toEqual([CALLER_ARN]);
      expect(JSON.stringify(template.Resources.EncryptionKey)).toContain(CALLER_ARN);
    }
  });

  test('what it describes, read back, is the Plan: key, bucket settings and every document', () => {
    const { plan, files, template } = entry();
    if (!template) return expectNoTemplate(files);
    const state = cloudFormationState(template);
    const find = <K extends PlanStep['kind']>(kind: K) =>
      plan.steps.find((step): step is Extract<PlanStep, { kind: K }> => step.kind === kind);
    const createKey = find('kms.createKey');
    expect(state.key).toEqual(
      createKey && plan.config.key?.kind === 'new'
        ? {
            policy: plan.documents.keyPolicy,
            rotationDays: find('kms.enableRotation')?.rotationDays,
            alias: plan.config.key.alias,
            tags: createKey.tags,
          }
        : undefined,
    );
    const encryption = find('s3.putBucketEncryption');
    const block = find('s3.putPublicAccessBlock');
    expect(state.bucket).toEqual(
      plan.config.createBucket && encryption && block
        ? {
            name: plan.config.bucket,
            encryption: bucketEncryptionConfiguration(encryption.encryption),
            publicAccessBlock: block.block,
            ownership: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          }
        : undefined,
    );
    expect(state.bucketPolicy).toEqual(plan.config.createBucket ? plan.documents.bucketPolicy : undefined);
    expect(state.rolePolicies).toEqual(
      roleSteps(plan).map((step) => ({
        roleName: step.role.name,
        policyName: step.policyName,
        policy: step.policy,
      })),
    );
  });

  test('the only intrinsics are Ref and Fn::GetAtt (or Fn::Sub) of resources in the template', () => {
    const { plan, files, template } = entry();
    if (!template) return expectNoTemplate(files);
    const found: Json[] = [];
    const walk = (value: Json): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (typeof value === 'object' && value !== null) {
        for (const [key, item] of Object.entries(value)) {
          if (key === 'Ref' || key.startsWith('Fn::')) found.push({ [key]: item });
          else walk(item);
        }
      }
    };
    walk(template);
    // Every key reference resolved: the placeholder would reach AWS as a literal string.
    expect(JSON.stringify(template)).not.toContain(KEY_ARN_PLACEHOLDER);
    for (const intrinsic of found) {
      expect([{ Ref: 'EncryptionKey' }, { Ref: 'Bucket' }, NEW_KEY_ARN]).toContainEqual(intrinsic);
    }
    const targets = found.map(
      (intrinsic) => JSON.stringify(intrinsic).match(/"(EncryptionKey|Bucket)"/)?.[1],
    );
    for (const target of targets) expect(Object.keys(template.Resources)).toContain(target);
    if (plan.config.key?.kind === 'existing') {
      // An existing key by its full ARN: in the role policies, and as the output.
      expect(template.Outputs.KeyArn?.Value).toBe(keyArnText(plan.keyArn));
      expect(JSON.stringify(template)).toContain(keyArnText(plan.keyArn));
    }
  });
});
