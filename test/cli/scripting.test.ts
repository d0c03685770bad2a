import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.js';

const TEAM = {
  region: 'eu-west-1',
  accountId: '1111-2222-3333',
  appRoles: ['contracts-app'],
  operatorRoles: ['platform-ops'],
  auditorRoles: ['security-audit'],
  keyAdminRoles: ['key-admin'],
  enforcement: 'compatible',
};

function folder(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

describe('config files', () => {
  it('round trip: --save-config writes what --config reads back, and flags override the file', async () => {
    const dir = folder('ceb-config-');
    const saved = join(dir, 'team.json');
    writeFileSync(join(dir, 'first.json'), JSON.stringify(TEAM));
    const first = await runMain([
      '--yes',
      '--config',
      join(dir, 'first.json'),
      '--bucket',
      'proj-one',
      '--render',
      join(dir, 'one'),
      '--save-config',
      saved,
    ]);
    expect(first.code, first.stderr).toBe(0);
    const file = JSON.parse(readFileSync(saved, 'utf8'));
    expect(file).toMatchObject({ ...TEAM, accountId: '111122223333', bucket: 'proj-one' });

    delete file.bucket;
    delete file.renderDir;
    writeFileSync(saved, JSON.stringify(file));
    const second = await runMain([
      '--yes',
      '--json',
      '--config',
      saved,
      '--bucket',
      'proj-two',
      '--enforcement',
      'strict',
      '--render',
      join(dir, 'two'),
    ]);
    expect(second.code, second.stderr).toBe(0);
    const result = JSON.parse(second.stdout);
    expect(result.ok).toBe(true);
    expect(result.command).toContain('--bucket proj-two');
    // strict is the default, so the flag that overrode the file's "compatible" leaves no trace.
    expect(result.command).not.toContain('--enforcement');
    expect(result.command).toContain('--app-role contracts-app');
  });

  it('refuses an unknown key by name, before anything is written', async () => {
    const dir = folder('ceb-config-bad-');
    writeFileSync(join(dir, 'team.json'), JSON.stringify({ ...TEAM, appRole: 'x' }));
    const run = await runMain([
      '--yes',
      '--config',
      join(dir, 'team.json'),
      '--bucket',
      'proj',
      '--render',
      join(dir, 'out'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown key "appRole"');
    expect(run.stderr).toContain('appRoles');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('checks file values with the same validators as flags', async () => {
    const dir = folder('ceb-config-value-');
    writeFileSync(
      join(dir, 'team.json'),
      JSON.stringify({ ...TEAM, region: 'mars-1', appRoles: 'contracts-app' }),
    );
    const run = await runMain(['--yes', '--config', join(dir, 'team.json'), '--bucket', 'proj']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown region "mars-1"');
    expect(run.stderr).toContain('"appRoles" must be a list of strings');
  });
});

describe('--json', () => {
  const good = [
    '--yes',
    '--json',
    '--bucket',
    'acme-contracts',
    '--region',
    'eu-west-1',
    '--account-id',
    '111122223333',
    '--app-role',
    'contracts-app',
    '--key-admin-role',
    'key-admin',
  ];

  it('prints one document with ok: true and the warnings on success', async () => {
    const run = await runMain([...good, '--render', join(folder('ceb-json-'), 'out')]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ ok: true, mode: 'render' });
    expect(Array.isArray(result.warnings)).toBe(true);
    // The desired state a reviewer reads: the bucket, the new key, the role policies.
    expect(result.plan.desired).toMatchObject({
      bucket: { name: 'acme-contracts', region: 'eu-west-1', encryption: { algorithm: 'aws:kms' } },
      key: { kind: 'new', alias: 'alias/acme-contracts' },
    });
    expect(result.plan.desired.rolePolicies.map((each: { roleKind: string }) => each.roleKind)).toEqual([
      'app',
      'keyAdmin',
    ]);
  });

  it('prints one document with ok: false, code, field, message and hint on failure', async () => {
    const run = await runMain([...good, '--region', 'mars-1']);
    expect(run.code).toBe(2);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFIG', field: '--region' } });
    expect(result.error.message).toContain('mars-1');
    expect(typeof result.error.hint).toBe('string');
  });

  it('reports a usage error (unknown flag) the same way', async () => {
    const run = await runMain(['--json', '--bucket-name', 'x']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.field).toBe('--bucket-name');
  });
});

describe('small things', () => {
  it('refuses the same role under two duties even through a path, by role name', async () => {
    const run = await runMain([
      '--yes',
      '--bucket',
      'acme-contracts',
      '--region',
      'eu-west-1',
      '--account-id',
      '111122223333',
      '--app-role',
      'app',
      '--operator-role',
      'arn:aws:iam::111122223333:role/svc/app',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/role app is given as both --app-role and --operator-role/);
  });

  it('refuses a role with a space with a hint', async () => {
    const run = await runMain(['--yes', '--bucket', 'acme-contracts', '--app-role', 'contracts app']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/contains a space.*repeat the flag/);
  });
});
