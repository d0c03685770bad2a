import { parseConfig } from '../../../src/config/parse-config.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import type { Answers, Plan } from '../../../src/types.js';
import { MOTO_ACCOUNT_ID } from '../../helpers/moto.js';

/**
 * The plans the render tests run on, each built the way the CLI builds them
 * (parseConfig + buildPlan), in moto's account so the same plans can be applied there.
 */
export interface RenderCase {
  name: string;
  answers: Answers;
}

const base = {
  region: 'eu-west-1',
  accountId: MOTO_ACCOUNT_ID,
  requestsPerMonth: '100000',
} satisfies Answers;

/** An ARN moto accepts as an existing key; tests that apply this case create the key first. */
export const EXISTING_KEY_ARN = `arn:aws:kms:eu-west-1:${MOTO_ACCOUNT_ID}:key/0b7e1c52-5d1a-4c5e-9f5e-4a7f8e2d9c01`;

export const CASES: RenderCase[] = [
  {
    name: 'kms-strict-new-key',
    answers: {
      ...base,
      bucket: 'acme-invoices',
      scheme: 'sse-kms',
      keyAdminRoles: ['key-custodian'],
      enforcement: 'strict',
      createBucket: true,
      appRoles: ['invoice-app'],
      operatorRoles: ['platform-ops'],
      auditorRoles: ['security-audit'],
    },
  },
  {
    name: 'kms-compatible-all-roles',
    answers: {
      ...base,
      bucket: 'acme-reports',
      scheme: 'sse-kms',
      enforcement: 'compatible',
      createBucket: false,
      keyAlias: 'alias/acme/reports',
      rotationDays: '180',
      appRoles: ['report-writer', 'report-reader'],
      operatorRoles: ['platform-ops'],
      auditorRoles: ['security-audit'],
      keyAdminRoles: ['key-custodian'],
    },
  },
  {
    name: 'kms-existing-key',
    answers: {
      ...base,
      bucket: 'acme-archive',
      scheme: 'sse-kms',
      keyAdminRoles: ['key-custodian'],
      enforcement: 'strict',
      createBucket: false,
      existingKey: EXISTING_KEY_ARN,
      appRoles: ['archiver'],
    },
  },
  {
    name: 'sse-s3-strict',
    answers: {
      ...base,
      bucket: 'acme-public-assets',
      scheme: 'sse-s3',
      enforcement: 'strict',
      createBucket: true,
      appRoles: ['assets-app'],
      auditorRoles: ['security-audit'],
    },
  },
  {
    name: 'sse-s3-compatible',
    answers: {
      ...base,
      bucket: 'acme-scratch',
      scheme: 'sse-s3',
      enforcement: 'compatible',
      createBucket: false,
    },
  },
  {
    name: 'sse-c-new-bucket',
    answers: {
      ...base,
      bucket: 'acme-sealed',
      scheme: 'sse-c',
      createBucket: true,
      appRoles: ['sealed-app'],
      operatorRoles: ['platform-ops'],
      auditorRoles: ['security-audit'],
    },
  },
  {
    name: 'kms-dotted-bucket-us-east-1',
    answers: {
      ...base,
      region: 'us-east-1',
      bucket: 'logs.acme.example',
      scheme: 'sse-kms',
      keyAdminRoles: ['key-custodian'],
      enforcement: 'strict',
      createBucket: true,
      appRoles: ['log-shipper'],
    },
  },
  {
    name: 'kms-role-with-path',
    answers: {
      ...base,
      bucket: 'acme-uploads',
      scheme: 'sse-kms',
      keyAdminRoles: ['key-custodian'],
      enforcement: 'compatible',
      createBucket: true,
      appRoles: [`arn:aws:iam::${MOTO_ACCOUNT_ID}:role/service/uploads/uploader`],
      operatorRoles: [`arn:aws:iam::${MOTO_ACCOUNT_ID}:role/ops/platform-ops`],
    },
  },
];

export function planFor(renderCase: RenderCase): Plan {
  return buildPlan(parseConfig(renderCase.answers));
}

export function caseNamed(name: string): RenderCase {
  const found = CASES.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no render case ${name}`);
  return found;
}
