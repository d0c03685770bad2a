import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
  UpdateObjectEncryptionCommand,
} from '@aws-sdk/client-s3';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PolicyDocument, PolicyStatement } from '../../src/types.js';
import { adminCredentials, type Clients, clientsAs, createRoles, refusalOf } from './accounts.js';
import { ACCOUNT_ID } from './standin.js';
import { useStandIn } from './use-standin.js';

/*
 * The stand-in's own proof: request -> decision cases, including refusals, so a stand-in that
 * allowed everything (or refused everything) fails here; and its verdicts agree with the
 * simulator it wraps, asked directly.
 */
const standIn = useStandIn();
const BUCKET = 'standin-cases';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const ROOT = `arn:aws:iam::${ACCOUNT_ID}:root`;
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;

const allow = (Action: string | string[], Resource: string | string[] = '*'): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Allow', Effect: 'Allow', Action, Resource }],
});
const denyAllUnless = (condition: PolicyStatement['Condition']): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Deny',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
      Condition: condition,
    },
  ],
});

let admin: Clients;
const as = async (role: string) => clientsAs(standIn, await standIn.assumeRole(role));
const failure = refusalOf;

async function newKey(policy: PolicyDocument): Promise<string> {
  const key = await admin.kms.send(new CreateKeyCommand({ Policy: JSON.stringify(policy) }));
  return key.KeyMetadata?.Arn ?? '';
}
/** A key policy: root administers; `users` may use it as `condition` allows. */
const keyPolicy = (users: string[], condition?: PolicyStatement['Condition']): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Admin',
      Effect: 'Allow',
      Principal: { AWS: ROOT },
      Action: ['kms:Describe*', 'kms:Put*', 'kms:Get*', 'kms:Create*'],
      Resource: '*',
    },
    ...(users.length > 0
      ? [
          {
            Sid: 'Use',
            Effect: 'Allow' as const,
            Principal: { AWS: users },
            Action: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*'],
            Resource: '*',
            ...(condition ? { Condition: condition } : {}),
          },
        ]
      : []),
  ],
});

beforeEach(async () => {
  admin = await clientsAs(standIn, adminCredentials(standIn));
  await admin.s3.send(
    new CreateBucketCommand({
      Bucket: BUCKET,
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
    }),
  );
});

describe('callers', () => {
  it('refuses an access key it never issued, in each service’s shape', async () => {
    const stranger = await clientsAs(standIn, {
      AWS_ACCESS_KEY_ID: 'AKIANOBODY',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_SESSION_TOKEN: 'x',
    });
    expect(await failure(stranger.s3.send(new ListObjectsV2Command({ Bucket: BUCKET })))).toMatchObject({
      name: 'InvalidAccessKeyId',
      status: 403,
    });
    expect(await failure(stranger.kms.send(new CreateKeyCommand({})))).toMatchObject({
      name: 'UnrecognizedClientException',
    });
  });

  it('a role session is judged by its own identity policies: allowed what they grant, refused the rest', async () => {
    await createRoles(standIn, [{ name: 'reader', inline: allow('s3:GetObject', `${BUCKET_ARN}/*`) }]);
    await admin.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'a.txt', Body: 'hello' }));
    const reader = await as('reader');
    const object = await reader.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }));
    expect(await object.Body?.transformToString()).toBe('hello');
    const refused = await failure(
      reader.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'b', Body: 'x' })),
    );
    expect(refused).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(refused.message).toBe(
      `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/reader/standin is not authorized to perform: s3:PutObject on resource: ${BUCKET_ARN}/b because no identity-based policy allows the s3:PutObject action`,
    );
  });

  it('AssumeRole needs the role’s trust policy, and IAM writes need IAM permissions (XML refusals)', async () => {
    const trustsNobody = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    await admin.iam.send(
      new CreateRoleCommand({ RoleName: 'ec2-only', AssumeRolePolicyDocument: trustsNobody }),
    );
    await expect(standIn.assumeRole('ec2-only')).rejects.toThrow(/not authorized to perform: sts:AssumeRole/);
    await createRoles(standIn, [{ name: 'plain' }]);
    const plain = await as('plain');
    const refused = await failure(
      plain.iam.send(
        new PutRolePolicyCommand({
          RoleName: 'plain',
          PolicyName: 'me',
          PolicyDocument: JSON.stringify(allow('*')),
        }),
      ),
    );
    expect(refused).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(refused.message).toContain('iam:PutRolePolicy');
  });
});

describe('S3 request context', () => {
  it('aws:SecureTransport: the HTTPS listener passes a Deny on "false", plain HTTP is refused by it', async () => {
    await admin.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'a.txt', Body: 'hello' }));
    await admin.s3.send(
      new PutBucketPolicyCommand({
        Bucket: BUCKET,
        Policy: JSON.stringify(denyAllUnless({ Bool: { 'aws:SecureTransport': 'false' } })),
      }),
    );
    await expect(
      admin.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'a.txt' })),
    ).resolves.toBeDefined();
    const plain = await clientsAs(standIn, adminCredentials(standIn), standIn.httpEndpoint);
    const refused = await failure(plain.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' })));
    expect(refused).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(refused.message).toContain('with an explicit deny in a resource-based policy');
  });

  it('s3:TlsVersion carries the negotiated version: a TLS 1.2 client is refused where 1.3 is required', async () => {
    await admin.s3.send(
      new PutBucketPolicyCommand({
        Bucket: BUCKET,
        Policy: JSON.stringify(denyAllUnless({ NumericLessThan: { 's3:TlsVersion': '1.3' } })),
      }),
    );
    const tls12 = new S3Client({
      region: 'eu-west-1',
      endpoint: standIn.endpoint,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' },
      requestHandler: new NodeHttpHandler({
        httpsAgent: new Agent({ ca: readFileSync(standIn.caFile), maxVersion: 'TLSv1.2' }),
      }),
    });
    expect(await failure(tls12.send(new ListObjectsV2Command({ Bucket: BUCKET })))).toMatchObject({
      name: 'AccessDenied',
    });
    await expect(admin.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).resolves.toBeDefined();
  });

  it('SSE headers are condition keys: a Deny on a missing aws:kms header refuses a headerless upload only', async () => {
    const keyArn = await newKey(keyPolicy([roleArn('Administrator')]));
    await admin.s3.send(
      new PutBucketPolicyCommand({
        Bucket: BUCKET,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'RequireKms',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:PutObject',
              Resource: `${BUCKET_ARN}/*`,
              Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
            },
          ],
        }),
      }),
    );
    expect(
      await failure(admin.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'plain', Body: 'x' }))),
    ).toMatchObject({ name: 'AccessDenied' });
    await admin.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'kms',
        Body: 'x',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: keyArn,
      }),
    );
  });

  it('CopyObject needs s3:GetObject on the source as well as s3:PutObject on the target', async () => {
    await admin.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'source', Body: 'x' }));
    await createRoles(standIn, [{ name: 'writer', inline: allow('s3:PutObject', `${BUCKET_ARN}/*`) }]);
    const writer = await as('writer');
    const refused = await failure(
      writer.s3.send(
        new CopyObjectCommand({ Bucket: BUCKET, Key: 'target', CopySource: `${BUCKET}/source` }),
      ),
    );
    expect(refused.message).toContain(`s3:GetObject on resource: ${BUCKET_ARN}/source`);
  });

  it('a copy of an object onto itself that changes nothing is an InvalidRequest, as on AWS', async () => {
    await admin.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'same', Body: 'x' }));
    expect(
      await failure(
        admin.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'same', CopySource: `${BUCKET}/same` })),
      ),
    ).toMatchObject({ name: 'InvalidRequest', status: 400 });
  });

  it('names an operation it has no rule for instead of letting it through', async () => {
    const response = await fetch(`${standIn.httpEndpoint}/${BUCKET}?analytics`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=testing/20261201/eu-west-1/s3/aws4_request' },
    });
    expect(response.status).toBe(501);
    expect(await response.text()).toContain('no rule for S3 GET');
  });
});

describe('the KMS calls S3 makes for the caller', () => {
  it('GetObject of an SSE-KMS object needs kms:Decrypt for the caller: refused with KMS’s reason', async () => {
    const keyArn = await newKey(keyPolicy([roleArn('Administrator')]));
    await admin.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'secret',
        Body: 'x',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: keyArn,
      }),
    );
    await createRoles(standIn, [{ name: 'ops', managed: ['AmazonS3FullAccess'] }]);
    const ops = await as('ops');
    const refused = await failure(ops.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'secret' })));
    expect(refused).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(refused.message).toContain(`kms:Decrypt on resource: ${keyArn}`);
    // HeadObject decrypts nothing: its metadata, encryption included, is readable with s3:GetObject.
    const head = await ops.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'secret' }));
    expect(head.SSEKMSKeyId).toBe(keyArn);
    await expect(ops.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).resolves.toBeDefined();
  });

  it('a default-encrypted upload makes S3 call GenerateDataKey for the caller, with the bucket ARN as context under a Bucket Key', async () => {
    const viaS3 = {
      StringEquals: {
        'kms:ViaService': 's3.eu-west-1.amazonaws.com',
        'kms:EncryptionContext:aws:s3:arn': BUCKET_ARN,
      },
    };
    const keyArn = await newKey(keyPolicy([roleArn('Administrator')], viaS3));
    const defaults = (BucketKeyEnabled: boolean) =>
      admin.s3.send(
        new PutBucketEncryptionCommand({
          Bucket: BUCKET,
          ServerSideEncryptionConfiguration: {
            Rules: [
              {
                ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
                BucketKeyEnabled,
              },
            ],
          },
        }),
      );
    await defaults(true);
    await admin.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'with-bucket-key', Body: 'x' }));
    // Without a Bucket Key the context is the object ARN, which this key policy does not allow.
    await defaults(false);
    const refused = await failure(
      admin.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'without', Body: 'x' })),
    );
    expect(refused.message).toContain('kms:GenerateDataKey');
    // And directly, outside S3, kms:ViaService is absent: refused.
    expect(
      await failure(admin.kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') }))),
    ).toMatchObject({
      name: 'AccessDeniedException',
    });
  });

  it('UpdateObjectEncryption keeps the bytes, ETag and LastModified, and needs the key for the caller', async () => {
    const keyArn = await newKey(keyPolicy([roleArn('Administrator')]));
    await admin.s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'old', Body: 'old bytes', ServerSideEncryption: 'AES256' }),
    );
    const before = await admin.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'old' }));
    await admin.s3.send(
      new UpdateObjectEncryptionCommand({
        Bucket: BUCKET,
        Key: 'old',
        ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn, BucketKeyEnabled: true } },
      }),
    );
    const after = await admin.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'old' }));
    expect(after).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, ETag: before.ETag });
    expect(after.LastModified).toEqual(before.LastModified);
    const object = await admin.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'old' }));
    expect(await object.Body?.transformToString()).toBe('old bytes');
    await createRoles(standIn, [{ name: 'ops', managed: ['AmazonS3FullAccess'] }]);
    const ops = await as('ops');
    const refused = await failure(
      ops.s3.send(
        new UpdateObjectEncryptionCommand({
          Bucket: BUCKET,
          Key: 'old',
          ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn, BucketKeyEnabled: true } },
        }),
      ),
    );
    expect(refused.message).toMatch(/kms:(Decrypt|ReEncryptFrom|Encrypt)/);
  });
});

describe('KMS', () => {
  it('direct Decrypt is judged against the key policy; the lockout safety check refuses a policy the caller could not change again', async () => {
    const keyArn = await newKey(keyPolicy([roleArn('Administrator')]));
    const blob = await admin.kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') }));
    await createRoles(standIn, [{ name: 'kms-star', inline: allow('kms:*') }]);
    const star = await as('kms-star');
    expect(
      await failure(star.kms.send(new DecryptCommand({ CiphertextBlob: blob.CiphertextBlob }))),
    ).toMatchObject({
      name: 'AccessDeniedException',
    });
    const lockedOut: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OnlySomeoneElse',
          Effect: 'Allow',
          Principal: { AWS: roleArn('kms-star') },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    };
    expect(
      await failure(
        admin.kms.send(
          new PutKeyPolicyCommand({
            KeyId: keyArn,
            PolicyName: 'default',
            Policy: JSON.stringify(lockedOut),
          }),
        ),
      ),
    ).toMatchObject({ name: 'MalformedPolicyDocumentException' });
  });
});

describe('the tagging API (setup.sh lists the keys tagged for its bucket)', () => {
  const TAGS = [{ Key: 'create-encrypted-bucket:bucket', Values: [BUCKET] }];
  /** GetResources as the aws CLI sends it (JSON 1.1), signed for the access key of `credentials`. */
  const getResources = (accessKeyId: string, operation = 'GetResources') =>
    fetch(`${standIn.httpEndpoint}/`, {
      method: 'POST',
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261201/eu-west-1/tagging/aws4_request, SignedHeaders=host, Signature=0`,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `ResourceGroupsTaggingAPI_20170126.${operation}`,
      },
      body: JSON.stringify({ ResourceTypeFilters: ['kms:key'], TagFilters: TAGS }),
    });

  it('GetResources needs tag:GetResources on "*": granted, it lists the tagged keys; refused in JSON, as KMS refuses', async () => {
    const tagged = await admin.kms.send(
      new CreateKeyCommand({ Tags: [{ TagKey: TAGS[0]?.Key, TagValue: BUCKET }] }),
    );
    await admin.kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'other', TagValue: BUCKET }] }));
    await createRoles(standIn, [
      { name: 'kms-only', inline: allow('kms:*') },
      { name: 'tag-reader', inline: allow('tag:GetResources') },
    ]);

    for (const accessKeyId of [
      adminCredentials(standIn).AWS_ACCESS_KEY_ID,
      (await standIn.assumeRole('tag-reader')).AWS_ACCESS_KEY_ID,
    ]) {
      const answer = await getResources(accessKeyId);
      expect(answer.status).toBe(200);
      const listed = (await answer.json()) as { ResourceTagMappingList: { ResourceARN: string }[] };
      expect(listed.ResourceTagMappingList.map((entry) => entry.ResourceARN)).toEqual([
        tagged.KeyMetadata?.Arn,
      ]);
    }

    const refused = await getResources((await standIn.assumeRole('kms-only')).AWS_ACCESS_KEY_ID);
    expect(refused.status).toBe(400);
    const error = (await refused.json()) as { __type: string; message: string };
    expect(error.__type).toBe('AccessDeniedException');
    expect(error.message).toBe(
      `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/kms-only/standin is not authorized to perform: tag:GetResources on resource: * because no identity-based policy allows the tag:GetResources action`,
    );
    expect(
      standIn.decisions.filter((entry) => entry.action === 'tag:GetResources').map((entry) => entry.verdict),
    ).toEqual(['Allowed', 'Allowed', 'ImplicitlyDenied']);
  });

  it('names a tagging operation it has no rule for instead of letting it through', async () => {
    const answer = await getResources(adminCredentials(standIn).AWS_ACCESS_KEY_ID, 'TagResources');
    expect(answer.status).toBe(501);
    expect(await answer.text()).toContain(
      'no rule for tagging ResourceGroupsTaggingAPI_20170126.TagResources',
    );
  });
});

describe('agreement with the simulator it wraps', () => {
  it('every decision of a mixed session equals the simulator asked the same question directly', async () => {
    const keyArn = await newKey(keyPolicy([roleArn('Administrator')]));
    await createRoles(standIn, [{ name: 'reader', inline: allow(['s3:GetObject', 's3:ListBucket'], '*') }]);
    await admin.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'k',
        Body: 'x',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: keyArn,
      }),
    );
    const reader = await as('reader');
    await reader.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    await failure(reader.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'k' })));
    await failure(reader.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k2', Body: 'x' })));
    const plain = standIn.decisions.filter(
      ({ request }) => !Object.keys(request.context).some((key) => key.startsWith('kms:EncryptionContext:')),
    );
    expect(plain.length).toBeGreaterThanOrEqual(4);
    expect(new Set(plain.map((entry) => entry.verdict))).toEqual(new Set(['Allowed', 'ImplicitlyDenied']));
    for (const entry of plain) {
      const direct = await runSimulation(
        {
          request: {
            principal: entry.caller.principal,
            action: entry.request.action,
            resource: { resource: entry.request.resource, accountId: ACCOUNT_ID },
            contextVariables: entry.request.context,
          },
          identityPolicies: entry.identity.map((policy, index) => ({ name: `p${index}`, policy })),
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: entry.request.resourcePolicy,
        },
        {},
      );
      expect(
        direct.resultType === 'error' ? 'error' : direct.overallResult,
        `${entry.action} ${entry.resource}`,
      ).toBe(entry.verdict);
    }
  });
});
