import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import type { ApplyOptions } from '../../src/apply/contract.js';
import { type AwsClients, createClients } from '../../src/aws/clients.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Answers, Plan } from '../../src/types.js';
import type { Spinner, Ui } from '../../src/ui/ui.js';
import { MOTO_ACCOUNT_ID, type Moto } from '../helpers/moto.js';

export const REGION = 'eu-west-1';
export const BUCKET = 'acme-invoices';
export const ALIAS = 'alias/acme-invoices';
export const ROLES = {
  app: 'app-role',
  operator: 'ops-role',
  auditor: 'audit-role',
  keyAdmin: 'key-admin-role',
};

/** A plan as main() builds it: parseConfig + buildPlan, for moto's account. */
export function planFor(overrides: Partial<Answers> = {}): Plan {
  return buildPlan(
    parseConfig({
      bucket: BUCKET,
      region: REGION,
      accountId: MOTO_ACCOUNT_ID,
      appRoles: [ROLES.app],
      operatorRoles: [ROLES.operator],
      auditorRoles: [ROLES.auditor],
      keyAdminRoles: [ROLES.keyAdmin],
      keyAlias: ALIAS,
      rotationDays: '365',
      createBucket: true,
      ...overrides,
    }),
  );
}

/** Points the SDK's default credential chain at moto's fake credentials, and nowhere else. */
export function useMotoEnvironment(moto: Moto): void {
  Object.assign(process.env, moto.env);
  delete process.env.AWS_PROFILE;
}

export function motoClients(moto: Moto, region = REGION): AwsClients {
  return createClients({ region, endpoint: moto.endpoint });
}

export async function createRoles(
  clients: AwsClients,
  names: string[] = Object.values(ROLES),
): Promise<void> {
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  for (const name of names) {
    await clients.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));
  }
}

export function backupDir(): string {
  return mkdtempSync(join(tmpdir(), 'ceb-apply-'));
}

export function applyOptions(clients: AwsClients, overrides: Partial<ApplyOptions> = {}): ApplyOptions {
  return {
    aws: { region: REGION },
    dryRun: false,
    yes: true,
    verify: false,
    backupDir: backupDir(),
    clients,
    ...overrides,
  };
}

export interface RecordingUi extends Ui {
  lines: string[];
  confirms: number;
}

/** A Ui that records what it was told and answers confirm() with `confirmAnswer`. */
export function recordingUi(options: { interactive?: boolean; confirmAnswer?: boolean } = {}): RecordingUi {
  const lines: string[] = [];
  const log = (kind: string) => (message: string) => {
    lines.push(`${kind}: ${message}`);
  };
  const spinner = (): Spinner => ({ start: log('spin'), stop: log('spun'), error: log('spin-error') });
  const ui: RecordingUi = {
    interactive: options.interactive ?? false,
    lines,
    confirms: 0,
    intro: log('intro'),
    outro: log('outro'),
    note: (message, title) => lines.push(`note ${title ?? ''}: ${message}`),
    info: log('info'),
    warn: log('warn'),
    success: log('success'),
    error: log('error'),
    text: async () => {
      throw new Error('apply must not ask for text');
    },
    select: async () => {
      throw new Error('apply must not ask to select');
    },
    confirm: async () => {
      ui.confirms += 1;
      return options.confirmAnswer ?? true;
    },
    spinner,
  };
  return ui;
}
