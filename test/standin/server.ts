import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { PolicyDocument } from '../../src/types.js';
import type { MultipartSseReading } from './assumptions.js';
import { type Callers, roleSession } from './callers.js';
import { evaluate } from './evaluate.js';
import { judgeAssumeRole, judgeIam } from './iam-requests.js';
import { judgeKms } from './kms-requests.js';
import type { MotoState } from './moto-state.js';
import { deniedMessage, kmsError, queryError, type Refusal, refusalFor, s3Error } from './refusals.js';
import { encryptionOf, type IncomingRequest, judgeS3, sseContextOf, type Uploads } from './s3-requests.js';
import { readSignature } from './signature.js';
import { judgeTagging } from './tagging-requests.js';
import type { AuthorizationRequest, Caller } from './types.js';

export interface StandInContext {
  motoPort: number;
  callers: Callers;
  state: MotoState;
  uploads: Uploads;
  reading: () => MultipartSseReading;
  /** Every decision, for tests that assert what was judged. */
  log: DecisionLog;
  /** Runs after moto's state was reset through the stand-in (re-creates the administrator). */
  afterReset: () => Promise<void>;
}

export interface LoggedDecision {
  principal: string;
  action: string;
  resource: string;
  verdict: string;
  /** Everything the judge was given, so a test can ask the simulator the same question. */
  caller: Caller;
  request: AuthorizationRequest;
  identity: PolicyDocument[];
}
export type DecisionLog = LoggedDecision[];

interface MotoAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The request handler shared by the HTTP and HTTPS listeners. */
export function handler(context: StandInContext) {
  return (incoming: IncomingMessage, outgoing: ServerResponse) => {
    handle(context, incoming, outgoing).catch((error: Error) => {
      send(
        outgoing,
        incoming.method ?? 'GET',
        s3Error(500, 'InternalError', `stand-in: ${error.stack ?? error}`),
      );
    });
  };
}

async function handle(context: StandInContext, incoming: IncomingMessage, outgoing: ServerResponse) {
  const body = await readBody(incoming);
  const url = new URL(incoming.url ?? '/', 'http://stand-in');
  const headers = lowerCaseHeaders(incoming);
  const method = incoming.method ?? 'GET';
  const socket = incoming.socket as Partial<TLSSocket>;
  const secure = typeof socket.getProtocol === 'function';
  const tlsVersion = secure ? socket.getProtocol?.()?.replace(/^TLSv/, '') : undefined;

  if (url.pathname.startsWith('/moto-api/')) {
    const answer = await forward(context, method, incoming.url ?? '/', headers, body);
    if (url.pathname === '/moto-api/reset') {
      context.state.forget();
      context.callers.forget();
      context.uploads.clear();
      context.log.length = 0;
      await context.afterReset();
    }
    return reply(outgoing, answer);
  }

  const signature = readSignature(headers, url.searchParams);
  const service = signature?.service ?? 's3';
  const caller = signature && context.callers.find(signature.accessKeyId);
  if (!caller) return send(outgoing, method, unknownCaller(service));
  const region = signature.region;
  const judge = (requests: AuthorizationRequest[]) => firstRefusal(context, caller, requests);

  if (service === 's3') {
    const request: IncomingRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      region,
      secure,
      ...(tlsVersion ? { tlsVersion } : {}),
      authType: signature.authType,
    };
    const judgement = await judgeS3(request, caller, context.state, context.uploads, context.reading());
    if (!judgement) {
      const query = [...url.searchParams.keys()].join('&');
      return send(
        outgoing,
        method,
        s3Error(501, 'NotImplemented', `stand-in: no rule for S3 ${method} ${url.pathname}?${query}`),
      );
    }
    const refused = await judge(judgement.before);
    if (refused) return send(outgoing, method, refused);
    if (judgement.invalid) return send(outgoing, method, s3Error(...judgement.invalid));
    const answer = await forward(context, method, incoming.url ?? '/', headers, body);
    if (judgement.afterResponse && answer.status < 300) {
      const after = await judge(await judgement.afterResponse(answer.headers));
      if (after) return send(outgoing, method, after);
    }
    if (judgement.operation.name === 'CreateMultipartUpload' && answer.status === 200) {
      const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(answer.body.toString('utf8'))?.[1];
      if (uploadId) {
        context.uploads.set(uploadId, {
          encryption: encryptionOf(answer.headers),
          sseContext: sseContextOf(headers),
        });
      }
    }
    if (method !== 'GET' && method !== 'HEAD') context.state.forget();
    return reply(outgoing, answer);
  }

  if (service === 'kms') {
    const parameters = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    const judgement = await judgeKms(
      headers['x-amz-target'] ?? '',
      parameters,
      caller,
      context.state,
      region,
      secure,
    );
    const refused = await judge(judgement.before);
    if (refused) return send(outgoing, method, refused);
    if (judgement.newPolicy && !(await keepsCallerAdministrator(context, caller, judgement.newPolicy))) {
      return send(
        outgoing,
        method,
        kmsError(
          'MalformedPolicyDocumentException',
          'The new key policy will not allow you to update the key policy in the future.',
        ),
      );
    }
    const answer = await forward(context, method, incoming.url ?? '/', headers, body);
    if (judgement.afterResponse && answer.status < 300) {
      const after = await judge(await judgement.afterResponse(JSON.parse(answer.body.toString('utf8'))));
      if (after) return send(outgoing, method, after);
    }
    if (!/^(Describe|Get|List)/.test(judgement.operation)) context.state.forget();
    return reply(outgoing, answer);
  }

  if (service === 'tagging') {
    const judgement = judgeTagging(headers['x-amz-target'] ?? '', caller, secure);
    if (!judgement) {
      return send(
        outgoing,
        method,
        kmsError('NotImplemented', `stand-in: no rule for tagging ${headers['x-amz-target'] ?? ''}`, 501),
      );
    }
    const refused = await judge(judgement.before);
    if (refused) return send(outgoing, method, refused);
    return reply(outgoing, await forward(context, method, incoming.url ?? '/', headers, body));
  }

  if (service === 'iam' || service === 'sts') {
    const parameters = method === 'GET' ? url.searchParams : new URLSearchParams(body.toString('utf8'));
    const operation = parameters.get('Action') ?? '';
    if (service === 'sts' && operation === 'GetCallerIdentity')
      return reply(outgoing, callerIdentity(caller));
    const authorization =
      service === 'sts' && operation === 'AssumeRole'
        ? await judgeAssumeRole(parameters, caller, context.state)
        : await judgeIam(parameters, caller, context.state);
    const refused = await judge([authorization]);
    if (refused) return send(outgoing, method, refused);
    const answer = await forward(context, method, incoming.url ?? '/', headers, body);
    if (operation === 'AssumeRole' && answer.status === 200) learnSession(context, parameters, answer.body);
    if (!/^(Get|List)/.test(operation)) context.state.forget();
    return reply(outgoing, answer);
  }

  return send(
    outgoing,
    method,
    s3Error(501, 'NotImplemented', `stand-in: no rules for the ${service} service`),
  );
}

async function firstRefusal(
  context: StandInContext,
  caller: Caller,
  requests: AuthorizationRequest[],
): Promise<Refusal | undefined> {
  const identity = caller.roleName ? await context.state.identityPolicies(caller.roleName) : [];
  for (const request of requests) {
    const decision = await evaluate(caller, request, identity);
    context.log.push({
      principal: caller.principal,
      action: request.action,
      resource: request.resource,
      verdict: decision.verdict,
      caller,
      request,
      identity,
    });
    if (decision.verdict !== 'Allowed')
      return refusalFor(request.service, deniedMessage(caller, request, decision));
  }
  return undefined;
}

/** KMS's lockout safety check: the caller must still be allowed PutKeyPolicy under the new policy. */
async function keepsCallerAdministrator(
  context: StandInContext,
  caller: Caller,
  change: { policy: PolicyDocument; resource: string },
): Promise<boolean> {
  const identity = caller.roleName ? await context.state.identityPolicies(caller.roleName) : [];
  const decision = await evaluate(
    caller,
    {
      action: 'kms:PutKeyPolicy',
      resource: change.resource,
      context: { 'aws:PrincipalArn': caller.principalArn, 'aws:PrincipalAccount': caller.accountId },
      resourcePolicy: change.policy,
      service: 'kms',
    },
    identity,
  );
  return decision.verdict === 'Allowed';
}

function learnSession(context: StandInContext, parameters: URLSearchParams, body: Buffer) {
  const text = body.toString('utf8');
  const accessKeyId = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(text)?.[1];
  const roleArn = parameters.get('RoleArn');
  if (accessKeyId && roleArn) {
    context.callers.learn(accessKeyId, roleSession(roleArn, parameters.get('RoleSessionName') ?? 'session'));
  }
}

function callerIdentity(caller: Caller): MotoAnswer {
  const id = randomBytes(8).toString('hex');
  const userId = caller.roleName ? `AROASTANDIN${caller.roleName.toUpperCase()}:session` : caller.accountId;
  const xml =
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
    `<Arn>${caller.principal}</Arn><UserId>${userId}</UserId><Account>${caller.accountId}</Account>` +
    `</GetCallerIdentityResult><ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
  return { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(xml) };
}

function unknownCaller(service: string): Refusal {
  const message = 'The security token included in the request is invalid.';
  if (service === 's3')
    return s3Error(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  if (service === 'kms' || service === 'tagging') return kmsError('UnrecognizedClientException', message);
  return queryError('InvalidClientTokenId', message);
}

function forward(
  context: StandInContext,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<MotoAnswer> {
  const sent: Record<string, string> = {
    ...headers,
    host: `127.0.0.1:${context.motoPort}`,
    'content-length': String(body.length),
  };
  delete sent['transfer-encoding'];
  delete sent.expect;
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port: context.motoPort, method, path, headers: sent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 500,
            headers: lowerCaseHeaders(response),
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function reply(outgoing: ServerResponse, answer: MotoAnswer) {
  const headers = { ...answer.headers };
  delete headers['transfer-encoding'];
  delete headers.connection;
  outgoing.writeHead(answer.status, headers);
  outgoing.end(answer.body);
}

function send(outgoing: ServerResponse, method: string, refusal: Refusal) {
  const body = method === 'HEAD' ? '' : refusal.body;
  outgoing.writeHead(refusal.status, {
    ...refusal.headers,
    'content-length': String(Buffer.byteLength(body)),
  });
  outgoing.end(body);
}

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

function lowerCaseHeaders(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
