import type { AwsClients } from '../aws/clients.js';

/*
 * A seam for tests and the bench: records every API call the clients make, and can make the
 * Nth write call fail before it is sent (fault injection). Added as an SDK middleware at the
 * initialize step, so it counts operations, not HTTP retries.
 */

export interface ApiCall {
  service: 's3' | 'kms' | 'iam' | 'sts';
  operation: string;
  write: boolean;
}

export interface CallLog {
  readonly calls: readonly ApiCall[];
  writes(): ApiCall[];
  /** The operation that was made to fail, once it has been. */
  readonly injected: ApiCall | undefined;
}

const READ_OPERATION = /^(Get|List|Describe|Head)/;

export function isWriteOperation(operation: string): boolean {
  return !READ_OPERATION.test(operation);
}

type Handler = (args: unknown) => Promise<unknown>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;
interface WithStack {
  middlewareStack: {
    add(middleware: Middleware, options: { step: 'initialize'; name: string; override: boolean }): void;
  };
}

/** The error a failing write throws: shaped like an SDK service error, so awsCall wraps it as one. */
export class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
  readonly $metadata: { httpStatusCode: number; requestId: string };

  constructor(operation: string, count: number) {
    super(`write call #${count} (${operation}) was made to fail by the test`);
    this.$metadata = { httpStatusCode: 500, requestId: `injected-${count}` };
  }
}

export function recordCalls(clients: AwsClients, options: { failWrite?: number } = {}): CallLog {
  const calls: ApiCall[] = [];
  let injected: ApiCall | undefined;
  let writes = 0;
  for (const service of ['s3', 'kms', 'iam', 'sts'] as const) {
    const client = clients[service] as unknown as WithStack;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const call: ApiCall = { service, operation, write: isWriteOperation(operation) };
        calls.push(call);
        if (call.write) {
          writes += 1;
          if (writes === options.failWrite) {
            injected = call;
            throw new InjectedFault(operation, writes);
          }
        }
        return next(args);
      },
      { step: 'initialize', name: 'createEncryptedBucketCallLog', override: true },
    );
  }
  return {
    calls,
    writes: () => calls.filter((call) => call.write),
    get injected() {
      return injected;
    },
  };
}
