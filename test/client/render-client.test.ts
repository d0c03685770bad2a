import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { readTemplates } from '../../src/output/read-templates.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { renderPlan } from '../../src/render/render-plan.js';
import type { Answers, Plan } from '../../src/types.js';
import { clientKmsPlan } from '../access/client-kms-plan.js';

/* What client/ holds for each scheme, and what it pins; the round-trip tests run it. */
const templates = await readTemplates();
const base: Answers = {
  bucket: 'acme-ledgers',
  region: 'eu-west-1',
  accountId: '111122223333',
  appRoles: ['ledger-app'],
  keyAdminRoles: ['key-admin'],
};
const EXISTING = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const planFor = (answers: Answers): Plan => {
  const config = parseConfig({ ...base, ...answers });
  return config.scheme === 'client-kms' ? clientKmsPlan(config) : buildPlan(config);
};
const clientFiles = (plan: Plan) =>
  Object.fromEntries(
    renderPlan(plan, templates)
      .filter((file) => file.path.startsWith('client/'))
      .map((file) => [file.path, file]),
  );
const rootPackage = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  devDependencies: Record<string, string>;
};

describe('client/ is rendered for the client-side schemes only', () => {
  it.each(['sse-kms', 'sse-s3'])('%s has no client/', (scheme) => {
    const answers = scheme === 'sse-s3' ? { scheme, keyAdminRoles: [] } : { scheme };
    expect(Object.keys(clientFiles(planFor(answers)))).toEqual([]);
  });

  it.each([{ scheme: 'client-kms' }, { scheme: 'client-app-key', keyAdminRoles: [] }])(
    '$scheme: client.mjs (executable), package.json pinning the versions CI runs, README.md',
    (answers) => {
      const files = clientFiles(planFor(answers));
      expect(Object.keys(files).sort()).toEqual([
        'client/README.md',
        'client/client.mjs',
        'client/package.json',
      ]);
      expect(files['client/client.mjs']?.executable).toBe(true);
      const manifest = JSON.parse(files['client/package.json']?.content ?? '') as {
        type: string;
        dependencies: Record<string, string>;
      };
      expect(manifest.type).toBe('module');
      // The root's dev dependencies: the versions the round-trip tests run the module with.
      expect(manifest.dependencies).toEqual({
        '@aws-crypto/client-node': rootPackage.devDependencies['@aws-crypto/client-node'],
        '@aws-sdk/client-s3': rootPackage.devDependencies['@aws-sdk/client-s3'],
      });
      expect(manifest.dependencies['@aws-crypto/client-node']).toBe('5.0.2');
      const readme = files['client/README.md']?.content ?? '';
      expect(readme).toMatch(/S3 Encryption Client[\s\S]*cannot/);
      expect(readme).toContain('upload_extra_args');
      expect(readme).toContain('no Python client-side module is generated');
      const code = files['client/client.mjs']?.content ?? '';
      expect(code).toContain('CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT');
    },
  );
});

describe('the keyring and the bucket layer headers', () => {
  it('client-kms: a KMS keyring on the key; uploads send aws:kms and the key ARN', () => {
    const code = clientFiles(planFor({ scheme: 'client-kms', existingKey: EXISTING }))['client/client.mjs']
      ?.content;
    expect(code).toContain('new KmsKeyringNode({ generatorKeyId: KEY_ARN })');
    expect(code).toContain(`const KEY_ARN = process.env.KMS_KEY_ARN ?? ${JSON.stringify(EXISTING)};`);
    expect(code).toContain("ServerSideEncryption: 'aws:kms',\n      SSEKMSKeyId: KEY_ARN,");
    expect(code).not.toContain('RawAesKeyringNode');
  });

  it('client-kms with a new key: the placeholder, and the README says to set KMS_KEY_ARN', () => {
    const files = clientFiles(planFor({ scheme: 'client-kms' }));
    expect(files['client/client.mjs']?.content).toContain('process.env.KMS_KEY_ARN ?? "<KEY_ARN>"');
    expect(files['client/README.md']?.content).toContain("export KMS_KEY_ARN='<KEY_ARN>'");
  });

  it('client-app-key: a raw AES keyring, the key read from outside, AES256 on upload, the key burden spelt out', () => {
    const files = clientFiles(planFor({ scheme: 'client-app-key', keyAdminRoles: [] }));
    const code = files['client/client.mjs']?.content ?? '';
    expect(code).toContain('new RawAesKeyringNode({');
    expect(code).toContain('process.env.APP_MASTER_KEY_FILE');
    expect(code).toContain("ServerSideEncryption: 'AES256',");
    expect(code).not.toContain('KmsKeyringNode');
    const readme = files['client/README.md']?.content ?? '';
    for (const burden of [
      '**Storing it:**',
      '**Backing it up:**',
      '**Rotating it:**',
      'Lose it and every object is gone',
    ])
      expect(readme).toContain(burden);
  });
});
