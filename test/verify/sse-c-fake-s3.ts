import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsClients } from '../../src/aws/clients.js';

/*
 * An S3 endpoint that answers SSE-C requests as the S3 guide ("Using server-side encryption
 * with customer-provided keys") documents, because moto does not (it ignores every SSE-C
 * header: sse-c-verify.test.ts pins that). It records every request exactly as it arrived on
 * the wire, so the tests assert the headers the verifier sends. The bucket policy is not
 * re-implemented here: uploads without SSE-C get the 403 AccessDenied the policy gives them,
 * and the policy itself is judged by the simulator (test/access) and the stand-in.
 */

export interface CapturedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
}

export interface FakeOptions {
  /** Serve SSE-C objects without their key, as moto does (the verifier must notice). */
  servesWithoutKey?: boolean;
  /** Leave the key MD5 out of HeadObject answers. */
  hidesKeyMd5?: boolean;
  /** What GetBucketEncryption reports as BlockedEncryptionTypes. */
  blockedEncryptionType?: 'NONE' | 'SSE-C';
}

const ALGORITHM = 'x-amz-server-side-encryption-customer-algorithm';
const KEY = 'x-amz-server-side-encryption-customer-key';
const KEY_MD5 = 'x-amz-server-side-encryption-customer-key-md5';

const md5Of = (bytes: Buffer) => createHash('md5').update(bytes).digest('base64');

function error(response: ServerResponse, status: number, code: string, message: string, body = true) {
  response.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': `fake-${code}` });
  response.end(
    body
      ? `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`
      : '',
  );
}

export interface FakeS3 {
  endpoint: string;
  requests: CapturedRequest[];
  objects: Map<string, { body: Buffer; keyMd5?: string }>;
  clients(): AwsClients;
  stop(): Promise<void>;
}

export async function startFakeS3(options: FakeOptions = {}): Promise<FakeS3> {
  const requests: CapturedRequest[] = [];
  const objects = new Map<string, { body: Buffer; keyMd5?: string }>();

  const handle = (request: IncomingMessage, body: Buffer, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
    );
    requests.push({ method: request.method ?? '', path: url.pathname, query: url.search, headers });
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const id = `${bucket}/${key}`;

    if (key === '' && url.searchParams.has('encryption')) {
      response.writeHead(200, { 'content-type': 'application/xml' });
      response.end(
        `<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled><BlockedEncryptionTypes><EncryptionType>${options.blockedEncryptionType ?? 'NONE'}</EncryptionType></BlockedEncryptionTypes></Rule></ServerSideEncryptionConfiguration>`,
      );
      return;
    }
    if (key === '' && url.searchParams.has('publicAccessBlock')) {
      response.writeHead(200, { 'content-type': 'application/xml' });
      response.end(
        '<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>',
      );
      return;
    }

    // botocore answers a HeadObject 400 by looking the bucket's region up (HeadBucket), as a
    // wrong-region signature also gives 400; S3 names the region.
    if (key === '' && request.method === 'HEAD') {
      response.writeHead(200, { 'x-amz-bucket-region': 'eu-west-1' });
      response.end();
      return;
    }
    const sent = headers[KEY] === undefined ? undefined : Buffer.from(headers[KEY], 'base64');
    if (sent && (sent.length !== 32 || md5Of(sent) !== headers[KEY_MD5] || headers[ALGORITHM] !== 'AES256')) {
      error(
        response,
        400,
        'InvalidArgument',
        'The calculated MD5 hash of the key did not match the hash that was provided.',
      );
      return;
    }
    const customerHeaders = (md5: string) => ({
      [ALGORITHM]: 'AES256',
      ...(options.hidesKeyMd5 ? {} : { [KEY_MD5]: md5 }),
    });

    switch (request.method) {
      case 'PUT': {
        const copySource = headers['x-amz-copy-source'];
        if (copySource !== undefined) {
          copy(decodeURIComponent(copySource).replace(/^\//, ''), id, headers, sent, response);
          return;
        }
        // What the bucket policy refuses (DenyUploadsWithoutSseC, DenyUploadsNamingOtherEncryption).
        if (headers[ALGORITHM] === undefined || headers['x-amz-server-side-encryption'] !== undefined) {
          error(
            response,
            403,
            'AccessDenied',
            'User is not authorized to perform: s3:PutObject with an explicit deny in a resource-based policy',
          );
          return;
        }
        const keyMd5 = md5Of(sent as Buffer);
        objects.set(id, { body, keyMd5 });
        response.writeHead(200, { etag: '"fake"', ...customerHeaders(keyMd5) });
        response.end();
        return;
      }
      case 'HEAD':
      case 'GET': {
        const object = objects.get(id);
        if (!object) {
          error(response, 404, 'NoSuchKey', 'The specified key does not exist.', request.method === 'GET');
          return;
        }
        if (object.keyMd5 && !options.servesWithoutKey) {
          if (!sent) {
            // S3 guide: without the key, S3 cannot decrypt and refuses with 400 (HEAD: no body).
            error(
              response,
              400,
              'InvalidRequest',
              'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
              request.method === 'GET',
            );
            return;
          }
          if (md5Of(sent) !== object.keyMd5) {
            error(response, 403, 'AccessDenied', 'Access Denied', request.method === 'GET');
            return;
          }
        }
        response.writeHead(200, {
          'content-length': String(object.body.length),
          'content-type': 'text/plain',
          'last-modified': new Date(0).toUTCString(),
          etag: '"fake"',
          ...(object.keyMd5 && !options.servesWithoutKey ? customerHeaders(object.keyMd5) : {}),
        });
        response.end(request.method === 'GET' ? object.body : undefined);
        return;
      }
      case 'DELETE':
        objects.delete(id);
        response.writeHead(204);
        response.end();
        return;
      default:
        error(response, 501, 'NotImplemented', `${request.method} is not part of this fake`);
    }
  };

  /** CopyObject: the source's key decrypts (copy-source headers), the target's encrypts. */
  const copy = (
    from: string,
    to: string,
    headers: Record<string, string>,
    sent: Buffer | undefined,
    response: ServerResponse,
  ) => {
    const source = objects.get(from);
    if (!source) {
      error(response, 404, 'NoSuchKey', 'The specified key does not exist.');
      return;
    }
    const sourceKey = headers['x-amz-copy-source-server-side-encryption-customer-key'];
    const sourceSent = sourceKey === undefined ? undefined : Buffer.from(sourceKey, 'base64');
    if (source.keyMd5 && (!sourceSent || md5Of(sourceSent) !== source.keyMd5)) {
      error(
        response,
        400,
        'InvalidRequest',
        'The source object was stored using a form of Server Side Encryption.',
      );
      return;
    }
    if (!sent) {
      error(response, 403, 'AccessDenied', 'explicit deny in a resource-based policy');
      return;
    }
    const keyMd5 = md5Of(sent);
    objects.set(to, { body: source.body, keyMd5 });
    response.writeHead(200, { 'content-type': 'application/xml', [ALGORITHM]: 'AES256', [KEY_MD5]: keyMd5 });
    response.end('<CopyObjectResult><ETag>"fake"</ETag></CopyObjectResult>');
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, Buffer.concat(chunks), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    requests,
    objects,
    clients() {
      const common = {
        endpoint,
        region: 'eu-west-1',
        maxAttempts: 1,
        credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
      };
      const s3 = new S3Client({ ...common, forcePathStyle: true });
      const kms = new KMSClient(common);
      const iam = new IAMClient(common);
      const sts = new STSClient(common);
      return {
        s3,
        kms,
        iam,
        sts,
        destroy() {
          for (const client of [s3, kms, iam, sts]) client.destroy();
        },
      };
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
