import { randomBytes } from 'node:crypto';
import type { AuthorizationRequest, Caller, Decision } from './types.js';

/** A response the stand-in sends instead of forwarding: AWS's own error shapes per service. */
export interface Refusal {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const requestId = () => randomBytes(8).toString('hex').toUpperCase();

/** AWS's wording: "User: X is not authorized to perform: A on resource: R because ..." */
export function deniedMessage(caller: Caller, request: AuthorizationRequest, decision: Decision): string {
  const where = decision.deniedBy ?? 'identity-based policy';
  const why =
    decision.verdict === 'ExplicitlyDenied'
      ? `with an explicit deny in a ${where}`
      : `because no ${where} allows the ${request.action} action`;
  return `User: ${caller.principal} is not authorized to perform: ${request.action} on resource: ${request.resource} ${why}`;
}

const xmlEscape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** S3: an XML <Error>; a HEAD response carries only the status, as S3's does. */
export function s3Error(status: number, code: string, message: string): Refusal {
  const id = requestId();
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': id },
    body:
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>` +
      `<RequestId>${id}</RequestId><HostId>stand-in</HostId></Error>`,
  };
}

/** KMS: JSON with __type, HTTP 400 as KMS answers AccessDeniedException. */
export function kmsError(type: string, message: string, status = 400): Refusal {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId() },
    body: JSON.stringify({ __type: type, message }),
  };
}

/** IAM and STS: the query-protocol XML <ErrorResponse>. */
export function queryError(code: string, message: string, status = 403): Refusal {
  const id = requestId();
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': id },
    body:
      '<ErrorResponse><Error><Type>Sender</Type>' +
      `<Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>` +
      `<RequestId>${id}</RequestId></ErrorResponse>`,
  };
}

export function refusalFor(service: AuthorizationRequest['service'], message: string): Refusal {
  if (service === 's3') return s3Error(403, 'AccessDenied', message);
  // The tagging API speaks JSON 1.1 too, with the same error shape.
  if (service === 'kms' || service === 'tagging') return kmsError('AccessDeniedException', message);
  return queryError('AccessDenied', message);
}
