import type { AccessRow, Config } from '../types.js';

/** The access matrix of DESIGN.md, filled with this configuration's principals. */
export function buildAccessTable(config: Config): AccessRow[] {
  const names = (roles: { name: string }[]) => roles.map((role) => role.name);
  const kms = config.scheme === 'sse-kms';
  const rows: AccessRow[] = [
    {
      who: 'application',
      principals: names(config.roles.app),
      may: kms
        ? 'read, write, delete and list objects; encrypt and decrypt with this key, only through S3 and this bucket'
        : 'read, write, delete and list objects',
      mustNever: 'administer the key or change the bucket policy',
    },
    {
      who: 'operator',
      principals: names(config.roles.operator),
      may: 'list the bucket and manage its lifecycle, versioning, tags, logging, notifications and CORS',
      mustNever: kms
        ? 'decrypt or generate data keys (explicitly denied in the key policy, even with kms:* on *), or change the key policy'
        : 'change the bucket policy or default encryption',
    },
    {
      who: 'auditor',
      principals: names(config.roles.auditor),
      may: kms
        ? 'describe the key, read its policy and rotation status, list aliases, read bucket security settings and CloudTrail'
        : 'read bucket security settings and CloudTrail',
      mustNever: 'decrypt, or change anything',
    },
  ];
  if (kms) {
    rows.push({
      who: 'key administrator',
      principals: names(config.roles.keyAdmin),
      may: 'administer the key (policy, rotation, aliases, tags, deletion)',
      mustNever:
        'decrypt (explicitly denied); note that whoever may change the key policy can grant themselves Decrypt',
    });
  }
  rows.push({
    who: 'anyone',
    principals: ['*'],
    may: '—',
    mustNever:
      'reach the bucket over plain HTTP or TLS older than 1.2, or upload with a customer-provided key (SSE-C)',
  });
  return rows;
}
