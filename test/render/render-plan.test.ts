// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Terraform or shell text under test, not a JS template.
import { describe, expect, test } from 'vitest';
import { keyArnText } from '../../src/plan/key-reference.js';
import { ROLE_POLICY_FILES, renderPlan } from '../../src/render/index.js';
import type { Plan, RoleKind } from '../../src/types.js';
import { KEY_ARN_PLACEHOLDER } from '../../src/types.js';
import { CASES, caseNamed, planFor } from './helpers/cases.js';
import { fileAt, loadTemplates, render } from './helpers/render-case.js';

function expectedTree(plan: Plan): string[] {
  const kinds = (Object.keys(ROLE_POLICY_FILES) as RoleKind[]).filter(
    (kind) => plan.config.roles[kind].length > 0,
  );
  return [
    'README.md',
    'setup.sh',
    'verify.sh',
    ...(plan.config.scheme === 'sse-kms' ? ['policies/key-policy.json'] : []),
    'policies/bucket-policy.json',
    'policies/bucket-encryption.json',
    'policies/public-access-block.json',
    ...kinds.map((kind) => `policies/${ROLE_POLICY_FILES[kind]}`),
    ...(plan.config.roles.reencrypt.length > 0 ? ['policies/reencrypt-trust-policy.json'] : []),
    // Rendered for review whenever roles are named; never applied.
    ...(plan.documents.optionalScp ? ['policies/optional-scp.json'] : []),
    'terraform/versions.tf',
    'terraform/variables.tf',
    'terraform/main.tf',
    'terraform/outputs.tf',
    'cloudformation/README.md',
    // CloudFormation refuses a template without resources.
    ...(plan.config.key?.kind === 'new' ||
    plan.config.createBucket ||
    plan.steps.some((step) => step.kind === 'iam.putRolePolicy')
      ? ['cloudformation/template.yaml']
      : []),
    'snippets/upload.mjs',
    'snippets/upload_boto3.py',
    'snippets/upload_extra_args.py',
    'snippets/aws-cli.sh',
    // The Batch Operations jobs: a key to move objects onto and a role to run them as.
    ...(plan.documents.reencryptJobs ? REENCRYPT_TREE : []),
  ].sort();
}

const REENCRYPT_TREE = [
  'batch-operations/README.md',
  'batch-operations/start-jobs.sh',
  'batch-operations/create-job-update-encryption.json',
  ...['standard', 'standard-ia', 'onezone-ia', 'intelligent-tiering', 'glacier-ir'].map(
    (storageClass) => `batch-operations/create-job-copy-${storageClass}.json`,
  ),
];

describe.each(CASES)('renderPlan: $name', (renderCase) => {
  const plan = planFor(renderCase);

  test('writes exactly the planned tree; only shell scripts are executable', async () => {
    const files = await render(plan);
    expect(files.map((file) => file.path).sort()).toEqual(expectedTree(plan));
    for (const file of files) expect(file.executable === true, file.path).toBe(file.path.endsWith('.sh'));
  });

  test('each JSON file is the Plan document, serialised once, byte for byte', async () => {
    const files = await render(plan);
    const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
    expect(fileAt(files, 'policies/bucket-policy.json').content).toBe(text(plan.documents.bucketPolicy));
    if (plan.documents.keyPolicy) {
      expect(fileAt(files, 'policies/key-policy.json').content).toBe(text(plan.documents.keyPolicy));
    }
    for (const [kind, document] of Object.entries(plan.documents.rolePolicies) as [RoleKind, unknown][]) {
      expect(fileAt(files, `policies/${ROLE_POLICY_FILES[kind]}`).content).toBe(text(document));
    }
    const encryption = JSON.parse(fileAt(files, 'policies/bucket-encryption.json').content);
    const rule = encryption.Rules[0];
    expect(rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm).toBe(
      plan.config.scheme === 'sse-kms' ? 'aws:kms' : 'AES256',
    );
    expect(rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID).toBe(keyArnText(plan.keyArn));
    expect(rule.BucketKeyEnabled).toBe(plan.config.scheme === 'sse-kms');
  });

  test('README explains the files, the order, access, enforcement, cost, existing objects and every warning', async () => {
    const readme = fileAt(await render(plan), 'README.md').content;
    for (const path of expectedTree(plan).filter((path) => path !== 'README.md')) {
      const folder = ['terraform/', 'cloudformation/', 'batch-operations/'].find((prefix) =>
        path.startsWith(prefix),
      );
      const shown = folder ?? path;
      expect(readme, path).toContain(`\`${shown}`);
    }
    expect(readme).toContain('./setup.sh');
    expect(readme).toContain('./verify.sh');
    if (plan.config.scheme === 'sse-c') {
      // One enforcement only, and the key's burden said plainly.
      expect(readme).toContain('## Uploads: SSE-C only');
      expect(readme).toMatch(/This folder holds no key/);
      expect(readme).toMatch(/Lose the key and the data is gone/);
    } else {
      expect(readme).toContain(`## Upload enforcement: ${plan.config.enforcement}`);
      expect(readme).toMatch(/What breaks:/);
    }
    expect(readme).toMatch(/written from now on/);
    for (const row of plan.accessTable) expect(readme).toContain(row.mustNever);
    for (const warning of plan.warnings) expect(readme).toContain(`- ${warning}`);
    if (plan.config.scheme === 'sse-kms') {
      expect(readme).toMatch(/\$\d+\.\d\d a month, \$\d+\.\d\d a year/);
      expect(readme).toMatch(/estimate/i);
    }
  });
});

describe('the key ARN', () => {
  test('a new key: JSON files keep the placeholder; setup.sh only names it as the thing to replace', async () => {
    const files = await render(planFor(caseNamed('kms-strict-new-key')));
    expect(fileAt(files, 'policies/bucket-policy.json').content).toContain(KEY_ARN_PLACEHOLDER);
    expect(fileAt(files, 'policies/app-policy.json').content).toContain(KEY_ARN_PLACEHOLDER);
    const setup = fileAt(files, 'setup.sh').content;
    expect(setup.split(KEY_ARN_PLACEHOLDER)).toHaveLength(2);
    expect(setup).toContain(`KEY_ARN_PLACEHOLDER='${KEY_ARN_PLACEHOLDER}'`);
    expect(setup).toContain('${text//"$KEY_ARN_PLACEHOLDER"/"$key_arn"}');
    expect(fileAt(files, 'README.md').content).toContain('## The `<KEY_ARN>` placeholder');
  });

  test('an existing key: the literal ARN everywhere, and no key is created, rotated or re-policied', async () => {
    const plan = planFor(caseNamed('kms-existing-key'));
    const files = await render(plan);
    // The re-encryption scripts define the placeholder for their generic substitution helper;
    // no document may carry it.
    const documents = files.filter((file) => !file.path.endsWith('.sh'));
    for (const file of documents) expect(file.content, file.path).not.toContain(KEY_ARN_PLACEHOLDER);
    expect(fileAt(files, 'policies/bucket-policy.json').content).toContain(keyArnText(plan.keyArn));
    const setup = fileAt(files, 'setup.sh').content;
    expect(setup).toContain(`key_arn='${keyArnText(plan.keyArn)}'`);
    for (const call of ['create-key', 'create-alias', 'enable-key-rotation', 'put-key-policy']) {
      expect(setup).not.toContain(call);
    }
    expect(fileAt(files, 'terraform/main.tf').content).not.toContain('resource "aws_kms_key"');
    expect(fileAt(files, 'policies/key-policy.json').content).toBe(
      `${JSON.stringify(plan.documents.keyPolicy, null, 2)}\n`,
    );
    expect(fileAt(files, 'README.md').content).toMatch(/review it .*and apply it yourself/is);
  });

  test('sse-s3: no KMS at all', async () => {
    const files = await render(planFor(caseNamed('sse-s3-strict')));
    for (const path of ['setup.sh', 'verify.sh', 'terraform/main.tf', 'snippets/aws-cli.sh']) {
      expect(fileAt(files, path).content, path).not.toMatch(/aws kms|aws_kms|ssekms|sse-kms-key-id/);
    }
  });
});

describe('templates', () => {
  test('a misspelt field fails the render (strict mode) instead of printing nothing', async () => {
    const templates = { ...(await loadTemplates()) };
    templates['README.md.hbs'] = `${templates['README.md.hbs']}\n{{bucketNmae}}\n`;
    expect(() => renderPlan(planFor(caseNamed('kms-strict-new-key')), templates)).toThrow(/bucketNmae/);
  });

  test('a missing template is named', async () => {
    const { 'verify.sh.hbs': _removed, ...templates } = await loadTemplates();
    expect(() => renderPlan(planFor(caseNamed('kms-strict-new-key')), templates)).toThrow(/verify\.sh\.hbs/);
  });

  test('values are not HTML-escaped (noEscape): quotes and ampersands stay as written', async () => {
    const files = await render(planFor(caseNamed('kms-strict-new-key')));
    for (const file of files)
      expect(file.content, file.path).not.toMatch(/&(quot|#x27|#39|amp|lt|gt|#x3D|#x60);/);
  });
});
