import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import type { PolicyDocument } from '../../src/types.js';
import { ACCOUNT_TRUST, type Credentials, httpsHandler, type StandIn } from './standin.js';

export interface Clients {
  s3: S3Client;
  kms: KMSClient;
  iam: IAMClient;
}

/** SDK clients through the stand-in's HTTPS endpoint, as the principal of `credentials`. */
export async function clientsAs(
  standIn: StandIn,
  credentials: Credentials,
  endpoint = standIn.endpoint,
): Promise<Clients> {
  const requestHandler = await httpsHandler(standIn.caFile);
  const common = {
    endpoint,
    requestHandler,
    maxAttempts: 1,
    credentials: {
      accessKeyId: credentials.AWS_ACCESS_KEY_ID,
      secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY,
      sessionToken: credentials.AWS_SESSION_TOKEN,
    },
  };
  return {
    s3: new S3Client({ ...common, region: 'eu-west-1', forcePathStyle: true }),
    kms: new KMSClient({ ...common, region: 'eu-west-1' }),
    iam: new IAMClient({ ...common, region: 'us-east-1' }),
  };
}

export const adminCredentials = (standIn: StandIn): Credentials => ({
  AWS_ACCESS_KEY_ID: standIn.env.AWS_ACCESS_KEY_ID ?? '',
  AWS_SECRET_ACCESS_KEY: standIn.env.AWS_SECRET_ACCESS_KEY ?? '',
  AWS_SESSION_TOKEN: standIn.env.AWS_SESSION_TOKEN ?? '',
});

/** Roles an account would hold before the tool runs, created by the administrator. */
export async function createRoles(
  standIn: StandIn,
  roles: { name: string; path?: string; managed?: string[]; inline?: PolicyDocument }[],
): Promise<void> {
  const { iam } = await clientsAs(standIn, adminCredentials(standIn));
  for (const role of roles) {
    await iam.send(
      new CreateRoleCommand({
        RoleName: role.name,
        Path: role.path ?? '/',
        AssumeRolePolicyDocument: ACCOUNT_TRUST,
      }),
    );
    for (const name of role.managed ?? []) {
      await iam.send(
        new AttachRolePolicyCommand({ RoleName: role.name, PolicyArn: `arn:aws:iam::aws:policy/${name}` }),
      );
    }
    if (role.inline) {
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: role.name,
          PolicyName: 'extra',
          PolicyDocument: JSON.stringify(role.inline),
        }),
      );
    }
  }
  iam.destroy();
}

/** The error a request that must fail failed with: name, message and HTTP status; success throws. */
export function refusalOf(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected a refusal, got success');
    },
    (error: { name: string; message: string; $metadata?: { httpStatusCode?: number } }) => ({
      name: error.name,
      message: error.message,
      status: error.$metadata?.httpStatusCode,
    }),
  );
}
