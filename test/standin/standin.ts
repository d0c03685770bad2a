import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { awsTestEnv, MOTO_ACCOUNT_ID, requireCommand, startMoto } from '../helpers/moto.js';
import { MULTIPART_SSE_KEYS, type MultipartSseReading } from './assumptions.js';
import { Callers, roleSession, rootUser } from './callers.js';
import { MotoState } from './moto-state.js';
import { type DecisionLog, handler } from './server.js';
import { makeTestCertificates } from './tls.js';
import type { Caller } from './types.js';

export const ACCOUNT_ID = MOTO_ACCOUNT_ID;
/** The account administrator every test starts as: an IAM role with AdministratorAccess. */
export const ADMIN_ROLE = 'Administrator';
export const ADMIN_ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/${ADMIN_ROLE}`;
const ADMIN_ACCESS_KEY = 'testing';
const ROOT_ACCESS_KEY = 'root-testing';
/** Trusts the account: any principal of it whose identity policy allows sts:AssumeRole. */
export const ACCOUNT_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' },
  ],
});

export type Credentials = Record<'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY' | 'AWS_SESSION_TOKEN', string>;

export interface StandIn {
  /** HTTPS, with a test CA: what every flow uses. */
  endpoint: string;
  /** Plain HTTP, to prove the bucket policy's HTTP deny. */
  httpEndpoint: string;
  /** moto itself, for tests that must seed or read state without authorization. */
  motoEndpoint: string;
  caFile: string;
  /** Environment for the SDK and the aws CLI as the administrator. */
  env: Record<string, string>;
  /** The same environment with another principal's credentials. */
  envAs(credentials: Credentials): Record<string, string>;
  /** AssumeRole through the stand-in, as the administrator; the session's credentials. */
  assumeRole(roleName: string, sessionName?: string): Promise<Credentials>;
  rootCredentials: Credentials;
  /** Every authorization decided so far (cleared by reset). */
  decisions: DecisionLog;
  /** Switch the reading of the one undocumented multipart behaviour (assumptions.ts). */
  setMultipartReading(reading: MultipartSseReading): void;
  /** Forget cached policies after a test wrote to moto directly. */
  forget(): void;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const LAUNCHER = fileURLToPath(new URL('./moto-launcher.py', import.meta.url));

export async function startStandIn(): Promise<StandIn> {
  requireCommand('python3', 'the project image ships python3 with moto');
  requireCommand('openssl', 'apt-get install -y openssl');
  const moto = await startMoto({
    command: 'python3',
    args: [LAUNCHER],
    env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  });
  const motoEndpoint = moto.endpoint;
  const motoPort = Number(new URL(motoEndpoint).port);
  const certificates = makeTestCertificates();
  const admin = roleSession(ADMIN_ROLE_ARN, 'standin-admin');
  const fixed = new Map<string, Caller>([
    [ADMIN_ACCESS_KEY, admin],
    [ROOT_ACCESS_KEY, rootUser(ACCOUNT_ID)],
  ]);
  const callers = new Callers(fixed);
  const state = new MotoState(motoEndpoint);
  let reading: MultipartSseReading = MULTIPART_SSE_KEYS;
  const decisions: DecisionLog = [];
  const seedAdministrator = () => createAdministrator(motoEndpoint);
  const handle = handler({
    motoPort,
    callers,
    state,
    uploads: new Map(),
    reading: () => reading,
    log: decisions,
    afterReset: seedAdministrator,
  });
  const https = createHttpsServer({ key: certificates.key, cert: certificates.cert }, handle);
  const http = createHttpServer(handle);
  const httpsPort = await listen(https);
  const httpPort = await listen(http);
  await seedAdministrator();

  const endpoint = `https://127.0.0.1:${httpsPort}`;
  const credentialsEnv = (credentials: Credentials) => ({
    ...awsTestEnv(endpoint, credentials),
    AWS_CA_BUNDLE: certificates.caFile,
    NODE_EXTRA_CA_CERTS: certificates.caFile,
  });
  const adminCredentials: Credentials = {
    AWS_ACCESS_KEY_ID: ADMIN_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: 'testing',
  };
  const env = credentialsEnv(adminCredentials);
  const sts = new STSClient({
    region: 'eu-west-1',
    endpoint,
    credentials: { accessKeyId: ADMIN_ACCESS_KEY, secretAccessKey: 'testing', sessionToken: 'testing' },
    requestHandler: await httpsHandler(certificates.caFile),
  });
  return {
    endpoint,
    httpEndpoint: `http://127.0.0.1:${httpPort}`,
    motoEndpoint,
    caFile: certificates.caFile,
    env,
    envAs: credentialsEnv,
    rootCredentials: {
      AWS_ACCESS_KEY_ID: ROOT_ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: 'root',
      AWS_SESSION_TOKEN: 'root',
    },
    decisions,
    async assumeRole(roleName, sessionName = 'standin') {
      const answer = await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${roleName}`,
          RoleSessionName: sessionName,
        }),
      );
      const issued = answer.Credentials;
      if (!issued?.AccessKeyId || !issued.SecretAccessKey || !issued.SessionToken) {
        throw new Error(`stand-in: AssumeRole ${roleName} returned no credentials`);
      }
      return {
        AWS_ACCESS_KEY_ID: issued.AccessKeyId,
        AWS_SECRET_ACCESS_KEY: issued.SecretAccessKey,
        AWS_SESSION_TOKEN: issued.SessionToken,
      };
    },
    setMultipartReading(next) {
      reading = next;
    },
    forget: () => state.forget(),
    async reset() {
      const response = await fetch(`http://127.0.0.1:${httpPort}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`stand-in: reset failed with HTTP ${response.status}`);
    },
    async stop() {
      https.close();
      http.close();
      await moto.stop();
    },
  };
}

/** The SDK's request handler trusting the test CA, for clients created inside a test process. */
export async function httpsHandler(caFile: string) {
  const { readFileSync } = await import('node:fs');
  const { Agent } = await import('node:https');
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  return new NodeHttpHandler({ httpsAgent: new Agent({ ca: readFileSync(caFile) }) });
}

async function createAdministrator(motoEndpoint: string): Promise<void> {
  const iam = new IAMClient({
    region: 'us-east-1',
    endpoint: motoEndpoint,
    credentials: { accessKeyId: 'stand-in', secretAccessKey: 'stand-in' },
  });
  await iam.send(new CreateRoleCommand({ RoleName: ADMIN_ROLE, AssumeRolePolicyDocument: ACCOUNT_TRUST }));
  await iam.send(
    new AttachRolePolicyCommand({
      RoleName: ADMIN_ROLE,
      PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    }),
  );
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}
