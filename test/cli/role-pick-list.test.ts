import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { listAccountRoles } from '../../src/aws/list-roles.js';
import { askMissingAnswers } from '../../src/cli/wizard.js';
import { scriptedUi } from '../helpers/scripted-ui.js';

const ROLES = {
  ok: true as const,
  roles: [
    { value: 'contracts-app', name: 'contracts-app', path: '/' },
    { value: 'arn:aws:iam::111122223333:role/teams/platform-ops', name: 'platform-ops', path: '/teams/' },
    { value: 'security-audit', name: 'security-audit', path: '/' },
  ],
};
const GIVEN = { scheme: 'sse-kms' as const, bucket: 'acme', region: 'eu-west-1', accountId: '111122223333' };
const WITH_CREDENTIALS = { credentials: { found: true as const }, listRoles: async () => ROLES };

describe('the roles pick-list (with credentials)', () => {
  it('picks roles per duty on one screen, a role under a path by its ARN', async () => {
    const { ui, asked } = scriptedUi([
      ['app:contracts-app', 'ops:arn:aws:iam::111122223333:role/teams/platform-ops', 'audit:security-audit'],
      'render',
    ]);
    const outcome = await askMissingAnswers({ ...GIVEN }, ui, WITH_CREDENTIALS);
    expect(asked).toHaveLength(2);
    expect(outcome.kind === 'answers' && outcome.answers).toMatchObject({
      appRoles: ['contracts-app'],
      operatorRoles: ['arn:aws:iam::111122223333:role/teams/platform-ops'],
      auditorRoles: ['security-audit'],
      keyAdminRoles: [],
    });
  });

  it('a role picked for two duties is said and the list shown again, picks kept', async () => {
    const { ui, asked, printed } = scriptedUi([
      ['app:contracts-app', 'ops:contracts-app'],
      ['app:contracts-app'],
      'render',
    ]);
    const outcome = await askMissingAnswers({ ...GIVEN }, ui, WITH_CREDENTIALS);
    expect(asked.filter((message) => message.startsWith('Who does what?'))).toHaveLength(2);
    expect(printed.join('\n')).toMatch(/given as both app= and ops=/);
    expect(outcome.kind === 'answers' && outcome.answers.appRoles).toEqual(['contracts-app']);
  });

  it('"type the names instead" keeps the one-line path', async () => {
    const { ui, asked } = scriptedUi([['type:instead'], 'app=other-app', 'render']);
    const outcome = await askMissingAnswers({ ...GIVEN }, ui, WITH_CREDENTIALS);
    expect(asked[1]).toMatch(/^Who does what\? app= /);
    expect(outcome.kind === 'answers' && outcome.answers.appRoles).toEqual(['other-app']);
  });

  it('a ListRoles refusal falls back to the one-line path with a note naming iam:ListRoles', async () => {
    const { ui, printed } = scriptedUi(['app=contracts-app', 'render']);
    const outcome = await askMissingAnswers({ ...GIVEN }, ui, {
      credentials: { found: true },
      listRoles: async () => ({
        ok: false,
        note: 'cannot list the roles (iam:ListRoles denied); type them instead',
      }),
    });
    expect(printed.join('\n')).toContain('iam:ListRoles denied');
    expect(outcome.kind === 'answers' && outcome.answers.appRoles).toEqual(['contracts-app']);
  });

  it('without credentials nothing is listed', async () => {
    let called = false;
    const { ui } = scriptedUi(['app=a admin=k', 'render']);
    await askMissingAnswers({ ...GIVEN }, ui, {
      credentials: { found: false, reason: 'no AWS credentials found' },
      listRoles: async () => {
        called = true;
        return ROLES;
      },
    });
    expect(called).toBe(false);
  });
});

describe('listAccountRoles', () => {
  it('reads every page, leaves service-linked roles out, names roles under a path by ARN', async () => {
    const iam = mockClient(IAMClient);
    const role = (RoleName: string, Path: string) => ({
      RoleName,
      Path,
      Arn: `arn:aws:iam::111122223333:role${Path}${RoleName}`,
      RoleId: 'AROA',
      CreateDate: new Date(),
    });
    iam
      .on(ListRolesCommand, {})
      .resolves({ Roles: [role('zeta-app', '/')], IsTruncated: true, Marker: 'm1' })
      .on(ListRolesCommand, { Marker: 'm1' })
      .resolves({
        Roles: [
          role('AWSServiceRoleForSupport', '/aws-service-role/support.amazonaws.com/'),
          role('ops', '/teams/'),
        ],
        IsTruncated: false,
      });
    const listed = await listAccountRoles(new IAMClient({ region: 'us-east-1' }));
    expect(listed).toEqual({
      ok: true,
      roles: [
        { name: 'ops', path: '/teams/', value: 'arn:aws:iam::111122223333:role/teams/ops' },
        { name: 'zeta-app', path: '/', value: 'zeta-app' },
      ],
    });
    iam.restore();
  });

  it('turns AccessDenied into a note naming iam:ListRoles', async () => {
    const iam = mockClient(IAMClient);
    iam.on(ListRolesCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    expect(await listAccountRoles(new IAMClient({ region: 'us-east-1' }))).toEqual({
      ok: false,
      note: 'cannot list the roles (iam:ListRoles denied); type them instead',
    });
    iam.restore();
  });
});
