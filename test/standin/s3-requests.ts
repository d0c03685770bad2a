import {
  MULTIPART_DECRYPT_OPERATIONS,
  MULTIPART_SSE_KEYS,
  MULTIPART_STEP_OPERATIONS,
  type MultipartSseReading,
  OBJECT_CREATION_OPERATIONS,
  SSE_C_BLOCKED_MESSAGE,
  UPDATE_ENCRYPTION_CURRENT_KEY_ACTIONS,
  UPDATE_ENCRYPTION_NEW_KEY_ACTIONS,
} from './assumptions.js';
import type { Encryption, MotoState } from './moto-state.js';
import { findS3Operation, type S3Operation, type Target } from './s3-operations.js';
import type { AuthorizationRequest, Caller, RequestContext } from './types.js';

export interface IncomingRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
  region: string;
  secure: boolean;
  /** "1.2", "1.3": what s3:TlsVersion carries; absent over plain HTTP. */
  tlsVersion?: string;
  authType: 'REST-HEADER' | 'REST-QUERY-STRING';
}

export interface S3Judgement {
  operation: S3Operation;
  bucket?: string;
  key?: string;
  /** Judged before the request reaches moto, in order. */
  before: AuthorizationRequest[];
  /** Reads: S3's Decrypt for the caller depends on the object moto returns. */
  afterResponse?: (responseHeaders: Record<string, string>) => Promise<AuthorizationRequest[]>;
  /** A request AWS rejects before any policy: [status, code, message]. */
  invalid?: [number, string, string];
}

/** What S3 remembers about an open multipart upload, by upload id. */
export type Uploads = Map<string, { encryption: Encryption; sseContext: RequestContext }>;

const SSE_HEADERS: [header: string, key: string][] = [
  ['x-amz-server-side-encryption', 's3:x-amz-server-side-encryption'],
  ['x-amz-server-side-encryption-aws-kms-key-id', 's3:x-amz-server-side-encryption-aws-kms-key-id'],
  ['x-amz-server-side-encryption-customer-algorithm', 's3:x-amz-server-side-encryption-customer-algorithm'],
];

export function splitPath(path: string): { target: Target; bucket?: string; key?: string } {
  const [bucket = '', ...rest] = path.replace(/^\//, '').split('/');
  if (bucket === '') return { target: 'service' };
  const key = rest.join('/');
  return key === ''
    ? { target: 'bucket', bucket }
    : { target: 'object', bucket, key: decodeURIComponent(key) };
}

export async function judgeS3(
  request: IncomingRequest,
  caller: Caller,
  state: MotoState,
  uploads: Uploads,
  reading: MultipartSseReading = MULTIPART_SSE_KEYS,
): Promise<S3Judgement | undefined> {
  const { target, bucket, key } = splitPath(request.path);
  const operation = findS3Operation(request.method, target, request.query, request.headers);
  if (!operation) return undefined;
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const objectArn = `${bucketArn}/${key}`;
  const source = copySource(request.headers['x-amz-copy-source']);
  const bucketPolicy = bucket ? await state.bucketPolicy(bucket, request.region) : undefined;
  const context = requestContext(request, caller, operation.name, uploads, reading);

  const versioned = (action: string, versionId: string | undefined) =>
    versionId && VERSION_ACTIONS[action] ? VERSION_ACTIONS[action] : action;
  const s3 = (action: string, resource: string): AuthorizationRequest => ({
    action,
    resource,
    context,
    ...(bucketPolicy ? { resourcePolicy: bucketPolicy } : {}),
    service: 's3',
  });
  const before: AuthorizationRequest[] = operation.actions.map(({ action, on }) => {
    if (on === 'copy-source') {
      return s3(versioned(action, source?.versionId), `arn:aws:s3:::${source?.bucket}/${source?.key}`);
    }
    if (on === 'object') return s3(versioned(action, request.query.get('versionId') ?? undefined), objectArn);
    return s3(action, on === '*' ? '*' : bucketArn);
  });
  if (operation.name === 'DeleteObjects') {
    for (const name of namedKeys(request.body)) before.push(s3('s3:DeleteObject', `${bucketArn}/${name}`));
  }
  const judgement: S3Judgement = {
    operation,
    ...(bucket ? { bucket } : {}),
    ...(key ? { key } : {}),
    before,
  };
  if (!bucket || !key) return judgement;

  const kms = new KmsThroughS3(caller, state, request.region, bucketArn, objectArn);
  const name = operation.name;
  if (
    name === 'CopyObject' &&
    source?.bucket === bucket &&
    source.key === key &&
    !changesSomething(request)
  ) {
    judgement.invalid = [400, 'InvalidRequest', COPY_TO_ITSELF];
    return judgement;
  }
  if (name === 'PutObject' || name === 'CopyObject' || name === 'CreateMultipartUpload') {
    before.push(...(await kms.forWrite(await writeEncryption(request, state, bucket))));
    const sseC = request.headers['x-amz-server-side-encryption-customer-algorithm'] !== undefined;
    if (sseC && (await state.defaultEncryption(bucket, request.region)).blocksSseC) {
      judgement.invalid = [403, 'AccessDenied', SSE_C_BLOCKED_MESSAGE];
    }
  }
  if (source && (name === 'CopyObject' || name === 'UploadPartCopy')) {
    const stored = await state.objectEncryption(source.bucket, source.key, request.region, source.versionId);
    if (stored)
      before.push(
        ...(await kms.forRead(
          stored,
          `arn:aws:s3:::${source.bucket}`,
          `arn:aws:s3:::${source.bucket}/${source.key}`,
        )),
      );
  }
  const upload = uploads.get(request.query.get('uploadId') ?? '');
  if (upload && MULTIPART_DECRYPT_OPERATIONS.has(name))
    before.push(...(await kms.forRead(upload.encryption)));
  if (name === 'UpdateObjectEncryption') {
    const stored = await state.objectEncryption(
      bucket,
      key,
      request.region,
      request.query.get('versionId') ?? undefined,
    );
    if (stored?.algorithm === 'aws:kms' && stored.keyId) {
      before.push(...(await kms.on(stored.keyId, stored.bucketKey, UPDATE_ENCRYPTION_CURRENT_KEY_ACTIONS)));
    }
    const target = newEncryption(request.body);
    if (target)
      before.push(...(await kms.on(target.keyId ?? '', target.bucketKey, UPDATE_ENCRYPTION_NEW_KEY_ACTIONS)));
  }
  // Only GetObject reads the bytes: HeadObject needs s3:GetObject alone (S3 API reference,
  // HeadObject "Permissions"), since S3 decrypts nothing to answer it.
  if (name === 'GetObject') {
    judgement.afterResponse = (headers) => kms.forRead(encryptionOf(headers));
  }
  if (kms.missingKey) {
    judgement.invalid = [400, 'KMS.NotFoundException', `Invalid keyId ${kms.missingKey}`];
  }
  return judgement;
}

const VERSION_ACTIONS: Record<string, string> = {
  's3:GetObject': 's3:GetObjectVersion',
  's3:DeleteObject': 's3:DeleteObjectVersion',
  's3:GetObjectTagging': 's3:GetObjectVersionTagging',
  's3:PutObjectTagging': 's3:PutObjectVersionTagging',
  's3:GetObjectAcl': 's3:GetObjectVersionAcl',
  's3:PutObjectAcl': 's3:PutObjectVersionAcl',
};

const COPY_TO_ITSELF =
  "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.";

function changesSomething(request: IncomingRequest): boolean {
  const { headers } = request;
  return (
    headers['x-amz-metadata-directive']?.toUpperCase() === 'REPLACE' ||
    headers['x-amz-storage-class'] !== undefined ||
    headers['x-amz-website-redirect-location'] !== undefined ||
    headers['x-amz-server-side-encryption'] !== undefined ||
    headers['x-amz-server-side-encryption-customer-algorithm'] !== undefined
  );
}

function copySource(header: string | undefined) {
  if (!header) return undefined;
  const [path = '', query = ''] = decodeURIComponent(header).replace(/^\//, '').split('?');
  const [bucket = '', ...rest] = path.split('/');
  const versionId = new URLSearchParams(query).get('versionId') ?? undefined;
  return { bucket, key: rest.join('/'), ...(versionId ? { versionId } : {}) };
}

function requestContext(
  request: IncomingRequest,
  caller: Caller,
  operation: string,
  uploads: Uploads,
  reading: MultipartSseReading,
): RequestContext {
  const { headers } = request;
  const context: RequestContext = {
    'aws:SecureTransport': request.secure ? 'true' : 'false',
    'aws:PrincipalArn': caller.principalArn,
    'aws:PrincipalAccount': caller.accountId,
    's3:authType': request.authType,
    's3:signatureversion': 'AWS4-HMAC-SHA256',
    's3:ResourceAccount': caller.accountId,
  };
  if (request.tlsVersion) context['s3:TlsVersion'] = request.tlsVersion;
  const upload = uploads.get(request.query.get('uploadId') ?? '');
  if (
    reading === 'upload-settings' &&
    upload &&
    (operation === 'UploadPart' || operation === 'CompleteMultipartUpload')
  ) {
    Object.assign(context, upload.sseContext);
  } else {
    for (const [header, key] of SSE_HEADERS)
      if (headers[header] !== undefined) context[key] = headers[header];
  }
  if (OBJECT_CREATION_OPERATIONS.has(operation)) context['s3:ObjectCreationOperation'] = 'true';
  if (MULTIPART_STEP_OPERATIONS.has(operation)) context['s3:ObjectCreationOperation'] = 'false';
  const copied: [string, string][] = [
    ['x-amz-copy-source', 's3:x-amz-copy-source'],
    ['x-amz-metadata-directive', 's3:x-amz-metadata-directive'],
    ['x-amz-storage-class', 's3:x-amz-storage-class'],
    ['x-amz-acl', 's3:x-amz-acl'],
    ['x-amz-website-redirect-location', 's3:x-amz-website-redirect-location'],
  ];
  for (const [header, key] of copied) if (headers[header] !== undefined) context[key] = headers[header];
  for (const name of ['prefix', 'delimiter', 'max-keys']) {
    const value = request.query.get(name);
    if (value !== null) context[`s3:${name}`] = value;
  }
  return context;
}

/** The SSE condition keys a CreateMultipartUpload carried, for the `upload-settings` reading. */
export function sseContextOf(headers: Record<string, string>): RequestContext {
  const context: RequestContext = {};
  for (const [header, key] of SSE_HEADERS) if (headers[header] !== undefined) context[key] = headers[header];
  return context;
}

/** The encryption S3 applies to a write: the request's headers, else the bucket default. */
async function writeEncryption(
  request: IncomingRequest,
  state: MotoState,
  bucket: string,
): Promise<Encryption> {
  const { headers } = request;
  const byDefault = await state.defaultEncryption(bucket, request.region);
  const algorithm = headers['x-amz-server-side-encryption'] as Encryption['algorithm'] | undefined;
  const bucketKeyHeader = headers['x-amz-server-side-encryption-bucket-key-enabled'];
  const bucketKey =
    bucketKeyHeader === undefined ? byDefault.bucketKey : bucketKeyHeader.toLowerCase() === 'true';
  if (headers['x-amz-server-side-encryption-customer-algorithm'])
    return { algorithm: 'none', bucketKey: false };
  if (!algorithm) return byDefault;
  const keyId = headers['x-amz-server-side-encryption-aws-kms-key-id'];
  return { algorithm, ...(keyId ? { keyId } : {}), bucketKey };
}

export function encryptionOf(headers: Record<string, string>): Encryption {
  const keyId = headers['x-amz-server-side-encryption-aws-kms-key-id'];
  return {
    algorithm: (headers['x-amz-server-side-encryption'] ?? 'none') as Encryption['algorithm'],
    ...(keyId ? { keyId } : {}),
    bucketKey: headers['x-amz-server-side-encryption-bucket-key-enabled']?.toLowerCase() === 'true',
  };
}

function newEncryption(body: Buffer): Encryption | undefined {
  const text = body.toString('utf8');
  const keyId = /<KMSKeyArn>([^<]+)<\/KMSKeyArn>/.exec(text)?.[1];
  if (!keyId) return undefined;
  const bucketKey = /<BucketKeyEnabled>true<\/BucketKeyEnabled>/i.test(text);
  return { algorithm: 'aws:kms', keyId, bucketKey };
}

function namedKeys(body: Buffer): string[] {
  return [...body.toString('utf8').matchAll(/<Key>([^<]+)<\/Key>/g)].map((match) => match[1] ?? '');
}

/**
 * The KMS requests S3 makes for the caller, judged against the key policy and the caller's
 * identity policies, with what S3 presents: kms:ViaService and the encryption context (the
 * bucket ARN with a Bucket Key, the object ARN without).
 */
class KmsThroughS3 {
  /** A key S3 was asked to use that KMS does not have: S3 answers KMS.NotFoundException. */
  missingKey?: string;

  constructor(
    private readonly caller: Caller,
    private readonly state: MotoState,
    private readonly region: string,
    private readonly bucketArn: string,
    private readonly objectArn: string,
  ) {}

  forWrite(encryption: Encryption): Promise<AuthorizationRequest[]> {
    if (!encryption.algorithm.startsWith('aws:kms') || !encryption.keyId) return Promise.resolve([]);
    return this.on(encryption.keyId, encryption.bucketKey, ['kms:GenerateDataKey']);
  }

  forRead(encryption: Encryption, bucketArn = this.bucketArn, objectArn = this.objectArn) {
    if (!encryption.algorithm.startsWith('aws:kms') || !encryption.keyId) return Promise.resolve([]);
    return this.on(encryption.keyId, encryption.bucketKey, ['kms:Decrypt'], bucketArn, objectArn);
  }

  async on(
    keyId: string,
    bucketKey: boolean,
    actions: string[],
    bucketArn = this.bucketArn,
    objectArn = this.objectArn,
  ): Promise<AuthorizationRequest[]> {
    const key = await this.state.key(keyId, this.region);
    if (!key) {
      this.missingKey = keyId;
      return [];
    }
    const resource = key.arn;
    const context: RequestContext = {
      'kms:ViaService': `s3.${this.region}.amazonaws.com`,
      'kms:CallerAccount': this.caller.accountId,
      'kms:EncryptionContext:aws:s3:arn': bucketKey ? bucketArn : objectArn,
      'kms:EncryptionContextKeys': ['aws:s3:arn'],
      'aws:PrincipalArn': this.caller.principalArn,
      'aws:PrincipalAccount': this.caller.accountId,
    };
    return actions.map((action) => ({
      action,
      resource,
      context,
      ...(key.policy ? { resourcePolicy: key.policy } : {}),
      service: 's3' as const,
    }));
  }
}
