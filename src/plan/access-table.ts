import type { AccessRow, Config } from '../types.js';
import { schemeTraits } from './schemes.js';

/** The access matrix of DESIGN.md, filled with this configuration's principals. */
export function buildAccessTable(config: Config): AccessRow[] {
  const names = (roles: { name: string }[]) => roles.map((role) => role.name);
  const traits = schemeTraits(config.scheme);
  if (!traits.usesKmsKey) return noKmsKeyRows(config, names);
  const rows: AccessRow[] = [
    {
      who: 'application',
      principals: names(config.roles.app),
      may: 'read, write, delete and list objects; encrypt and decrypt with this key, only through S3 and this bucket',
      mustNever: "administer the key or the bucket's security settings",
    },
  ];
  if (config.roles.reencrypt.length > 0) {
    rows.push({
      who: 're-encryption',
      principals: names(config.roles.reencrypt),
      may: 'move older objects onto the key (UpdateObjectEncryption, copy in place), through S3, for this bucket; run the Batch Operations jobs',
      mustNever: 'decrypt outside S3, or administer anything',
    });
  }
  rows.push(
    {
      who: 'operator',
      principals: names(config.roles.operator),
      may: 'list the bucket and manage its lifecycle, versioning, tags, logging, notifications and CORS',
      mustNever:
        'decrypt or generate data keys (even with kms:* in IAM), or change the bucket policy, encryption, public-access block, ownership, replication or ACLs (even with s3:*)',
    },
    {
      who: 'auditor',
      principals: names(config.roles.auditor),
      may: "describe the key, read its policy, rotation, grants and aliases; read the bucket's security settings and CloudTrail",
      mustNever: 'read an object, decrypt, or change anything',
    },
    {
      who: 'key administrator',
      principals: names(config.roles.keyAdmin),
      may: "administer the key and the bucket's security settings",
      mustNever: 'decrypt',
    },
    {
      who: 'anyone else in the account',
      principals: ['any other principal, whatever its IAM policy'],
      may: 'nothing on this key',
      mustNever: "decrypt, create grants, change the key policy or the bucket's guardrails",
    },
    {
      who: 'account root user',
      principals: [`arn:${config.partition}:iam::${config.accountId}:root`],
      may: 'break-glass administration',
      mustNever: 'decrypt',
    },
    anyone(config),
  );
  return rows;
}

/**
 * No KMS key: the separation is the bucket policy's and IAM's, and for SSE-C and
 * client-app-key the key the application alone holds: without it an object is unreadable.
 */
function noKmsKeyRows(config: Config, names: (roles: { name: string }[]) => string[]): AccessRow[] {
  const traits = schemeTraits(config.scheme);
  const appKey =
    traits.bucketLayer === 'sse-c'
      ? 'with the customer key it holds'
      : 'and decrypts them with the key it holds';
  const application: AccessRow = traits.applicationHoldsKey
    ? {
        who: 'application',
        principals: names(config.roles.app),
        may: `read, write, delete and list objects; encrypts ${traits.clientSide ? 'them itself' : 'them'} ${appKey}`,
        mustNever: 'change the bucket policy or default encryption; lose the key (the data would be gone)',
      }
    : {
        who: 'application',
        principals: names(config.roles.app),
        may: 'read, write, delete and list objects',
        mustNever: 'change the bucket policy or default encryption',
      };
  const operatorNote = traits.applicationHoldsKey
    ? traits.clientSide
      ? 'read plaintext: whatever it fetches is ciphertext without the application key'
      : 'read plaintext: S3 serves an SSE-C object only to a request carrying its key'
    : 'S3 itself decrypts SSE-S3 objects for anyone allowed to read them';
  return [
    application,
    {
      who: 'operator',
      principals: names(config.roles.operator),
      may: 'list the bucket and manage its lifecycle, versioning, tags, logging, notifications and CORS',
      mustNever: `change the bucket policy or default encryption (${operatorNote})`,
    },
    {
      who: 'auditor',
      principals: names(config.roles.auditor),
      may: 'read bucket security settings and CloudTrail',
      mustNever: 'read an object, or change anything',
    },
    {
      who: 'administrator',
      principals: names(config.roles.keyAdmin),
      may: "change the bucket's security settings (policy, default encryption, public-access block)",
      mustNever: 'read an object (it could grant itself reads through the bucket policy: keep it rare)',
    },
    {
      who: 'account root user',
      principals: [`arn:${config.partition}:iam::${config.accountId}:root`],
      may: 'break-glass administration',
      mustNever: '—',
    },
    anyone(config),
  ];
}

function anyone(config: Config): AccessRow {
  const uploads =
    schemeTraits(config.scheme).bucketLayer === 'sse-c'
      ? 'upload without a customer-provided key (the SSE-C headers)'
      : 'upload with a customer-provided key (SSE-C)';
  return {
    who: 'anyone',
    principals: ['*'],
    may: '—',
    mustNever: `reach the bucket over plain HTTP or TLS older than 1.2, or ${uploads}`,
  };
}
