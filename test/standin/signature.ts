/** What SigV4 tells about a request: who signed it, for which service and region. */
export interface Signature {
  accessKeyId: string;
  region: string;
  service: string;
  /** s3:authType: how the request was signed. */
  authType: 'REST-HEADER' | 'REST-QUERY-STRING';
}

// Credential=AKID/20261201/eu-west-1/s3/aws4_request, in the Authorization header or presigned query.
const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

export function readSignature(
  headers: Record<string, string>,
  query: URLSearchParams,
): Signature | undefined {
  const header = CREDENTIAL.exec(headers.authorization ?? '');
  if (header) {
    const [, accessKeyId = '', region = '', service = ''] = header;
    return { accessKeyId, region, service, authType: 'REST-HEADER' };
  }
  const presigned = query.get('X-Amz-Credential');
  const parts = presigned?.split('/');
  if (parts && parts.length === 5) {
    const [accessKeyId = '', , region = '', service = ''] = parts;
    return { accessKeyId, region, service, authType: 'REST-QUERY-STRING' };
  }
  return undefined;
}
