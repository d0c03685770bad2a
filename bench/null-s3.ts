/*
 * An S3 endpoint that costs nothing: it answers the few calls re-encryption and
 * `aws s3 cp --recursive` make from memory, at once. Behind the latency proxy it leaves only
 * the network to bound either client, which moto's CPU on two cores does not (bench/reencrypt).
 * It keeps each object's encryption, so a run's safety probe sees the key change and nothing
 * else. Not S3: no authorization, no bodies, one bucket.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from './latency-proxy.js';

interface NullObject {
  size: number;
  etag: string;
  sse?: 'AES256' | 'aws:kms';
  keyId?: string;
}

export interface NullS3 {
  endpoint: string;
  port: number;
  /** Fills the bucket with `count` 1 KiB objects, all SSE-S3 or all unencrypted. */
  fill(bucket: string, count: number, encryption: 'sse-s3' | 'none'): void;
  /** Calls it could not answer, by method and query: a bench that sees some is measuring nothing. */
  unanswered(): string[];
  close(): void;
}

const LAST_MODIFIED = new Date('2026-01-01T00:00:00Z');
const PAGE = 1000;

const xmlEscape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

export async function startNullS3(): Promise<NullS3> {
  const buckets = new Map<string, Map<string, NullObject>>();
  const unanswered: string[] = [];

  const send = (
    response: ServerResponse,
    status: number,
    body = '',
    headers: Record<string, string> = {},
  ) => {
    response.writeHead(status, {
      ...(body ? { 'content-type': 'application/xml' } : {}),
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    });
    response.end(body);
  };

  const list = (
    response: ServerResponse,
    name: string,
    objects: Map<string, NullObject>,
    query: URLSearchParams,
  ) => {
    const keys = [...objects.keys()].sort();
    const v2 = query.get('list-type') === '2';
    const after =
      (v2 ? (query.get('continuation-token') ?? query.get('start-after')) : query.get('marker')) ?? '';
    const prefix = query.get('prefix') ?? '';
    const max = Math.min(PAGE, Number(query.get('max-keys') ?? PAGE));
    const matching = keys.filter((key) => key > after && key.startsWith(prefix));
    const page = matching.slice(0, max);
    const truncated = matching.length > page.length;
    const last = page.at(-1) ?? '';
    const url = query.get('encoding-type') === 'url';
    const entries = page
      .map((key) => {
        const object = objects.get(key) as NullObject;
        const shown = url ? encodeURIComponent(key).replaceAll('%2F', '/') : xmlEscape(key);
        return `<Contents><Key>${shown}</Key><LastModified>${LAST_MODIFIED.toISOString()}</LastModified><ETag>&quot;${object.etag}&quot;</ETag><Size>${object.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    const paging = v2
      ? `<KeyCount>${page.length}</KeyCount>${truncated ? `<NextContinuationToken>${xmlEscape(last)}</NextContinuationToken>` : ''}`
      : truncated
        ? `<NextMarker>${xmlEscape(last)}</NextMarker>`
        : '';
    send(
      response,
      200,
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${name}</Name><Prefix>${xmlEscape(prefix)}</Prefix><MaxKeys>${max}</MaxKeys>${url ? '<EncodingType>url</EncodingType>' : ''}<IsTruncated>${truncated}</IsTruncated>${paging}${entries}</ListBucketResult>`,
    );
  };

  const objectHeaders = (object: NullObject): Record<string, string> => ({
    etag: `"${object.etag}"`,
    'last-modified': LAST_MODIFIED.toUTCString(),
    'content-length': String(object.size),
    'content-type': 'text/plain',
    ...(object.sse ? { 'x-amz-server-side-encryption': object.sse } : {}),
    ...(object.keyId
      ? {
          'x-amz-server-side-encryption-aws-kms-key-id': object.keyId,
          'x-amz-server-side-encryption-bucket-key-enabled': 'true',
        }
      : {}),
  });

  /** The encryption a write asks for, from its headers (UpdateObjectEncryption sends XML). */
  const encryptionOf = (request: IncomingMessage, body: string): Pick<NullObject, 'sse' | 'keyId'> => {
    const sse = request.headers['x-amz-server-side-encryption'];
    const keyId = request.headers['x-amz-server-side-encryption-aws-kms-key-id'];
    const xmlKey = /<KMSKeyArn>([^<]+)<\/KMSKeyArn>/.exec(body)?.[1];
    if (xmlKey) return { sse: 'aws:kms', keyId: xmlKey };
    if (sse === 'aws:kms') return { sse, ...(typeof keyId === 'string' ? { keyId } : {}) };
    return sse === 'AES256' ? { sse } : {};
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://null-s3');
      const [, bucket = '', ...rest] = url.pathname.split('/');
      const key = decodeURIComponent(rest.join('/'));
      const objects = buckets.get(bucket);
      const query = url.searchParams;
      const body = Buffer.concat(chunks).toString('utf8');
      if (!objects) return send(response, 404, '<Error><Code>NoSuchBucket</Code></Error>');
      if (!key) {
        if (request.method === 'GET' && query.has('versioning'))
          return send(
            response,
            200,
            '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>',
          );
        if (request.method === 'GET' && query.has('ownershipControls'))
          return send(
            response,
            200,
            '<OwnershipControls><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>',
          );
        if (request.method === 'GET' && !query.has('location')) return list(response, bucket, objects, query);
        if (request.method === 'GET')
          return send(response, 200, '<LocationConstraint>eu-west-1</LocationConstraint>');
      } else {
        const object = objects.get(key);
        if (request.method === 'HEAD')
          return object ? send(response, 200, '', objectHeaders(object)) : send(response, 404);
        if (request.method === 'GET' && query.has('tagging'))
          return send(response, 200, '<Tagging><TagSet></TagSet></Tagging>');
        if (request.method === 'PUT' && query.has('encryption') && object) {
          Object.assign(object, { sse: undefined, keyId: undefined }, encryptionOf(request, body));
          return send(response, 200);
        }
        if (request.method === 'PUT' && request.headers['x-amz-copy-source'] && object) {
          const copied: NullObject = {
            size: object.size,
            etag: `${object.etag}c`,
            ...encryptionOf(request, body),
          };
          objects.set(key, copied);
          return send(
            response,
            200,
            `<CopyObjectResult><ETag>&quot;${copied.etag}&quot;</ETag><LastModified>${LAST_MODIFIED.toISOString()}</LastModified></CopyObjectResult>`,
          );
        }
      }
      unanswered.push(`${request.method} ${[...query.keys()].join('&')}`);
      send(response, 501, '<Error><Code>NotImplemented</Code></Error>');
    });
  });
  const port = await listen(server);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    fill(bucket, count, encryption) {
      const objects = new Map<string, NullObject>();
      for (let index = 0; index < count; index += 1) {
        const key = `prefix-${index % 10}/object-${String(index).padStart(6, '0')}.txt`;
        objects.set(key, {
          size: 1024,
          etag: `e${index}`,
          ...(encryption === 'sse-s3' ? { sse: 'AES256' } : {}),
        });
      }
      buckets.set(bucket, objects);
    },
    unanswered: () => [...new Set(unanswered)],
    close: () => server.close(),
  };
}
