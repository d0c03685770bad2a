/**
 * One error family, formatted once by main(). The exit code is decided by the class:
 * ConfigError is the user's input (2), CancelledError a cancel (130), anything else 1.
 */
export interface AppErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: number = 1;

  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

/** Bad input: a flag, an answer or a usage mistake. Nothing has been written when this is thrown. */
export class ConfigError extends AppError {
  override readonly exitCode = 2;
  /** The flag or field the problem is about, e.g. `--bucket`. */
  readonly field: string | undefined;

  constructor(message: string, options: AppErrorOptions & { field?: string } = {}) {
    super('CONFIG', message, options);
    this.field = options.field;
  }
}

export class CancelledError extends AppError {
  override readonly exitCode = 130;

  constructor(message = 'Cancelled. Nothing was written.') {
    super('CANCELLED', message);
  }
}

/** An AWS call failed; keeps what a person needs to act on it, never the request body. */
export class AwsError extends AppError {
  readonly step: string;
  readonly operation: string;
  readonly errorName: string;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;

  constructor(details: {
    step: string;
    operation: string;
    errorName: string;
    message: string;
    httpStatus?: number | undefined;
    requestId?: string | undefined;
    hint?: string | undefined;
    cause?: unknown;
  }) {
    super('AWS', `${details.step}: ${details.operation} failed: ${details.errorName}: ${details.message}`, {
      hint: details.hint,
      cause: details.cause,
    });
    this.step = details.step;
    this.operation = details.operation;
    this.errorName = details.errorName;
    this.httpStatus = details.httpStatus;
    this.requestId = details.requestId;
  }
}

export function exitCodeOf(error: unknown): number {
  return error instanceof AppError ? error.exitCode : 1;
}

/** The one place errors become text for a person. */
export function formatError(error: unknown): string {
  if (!(error instanceof AppError)) {
    const message = error instanceof Error ? error.message : String(error);
    return `Unexpected error: ${message}`;
  }
  const lines = [error.message];
  if (error instanceof AwsError) {
    const facts = [
      error.httpStatus === undefined ? undefined : `HTTP ${error.httpStatus}`,
      error.requestId === undefined ? undefined : `request id ${error.requestId}`,
    ].filter(Boolean);
    if (facts.length > 0) lines.push(`  (${facts.join(', ')})`);
  }
  if (error.hint) lines.push(`  hint: ${error.hint}`);
  return lines.join('\n');
}

/**
 * --debug: the error chain with stacks and the SDK's response metadata (status, request ids,
 * attempts). Never the request: SDK errors carry no credentials or bodies in these fields.
 */
export function formatDebugDetails(error: unknown): string {
  const lines: string[] = ['debug details:'];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    if (!(current instanceof Error)) {
      lines.push(`  ${String(current)}`);
      break;
    }
    lines.push(`  ${current.name}: ${current.message}`);
    const metadata = (current as { $metadata?: Record<string, unknown> }).$metadata;
    if (metadata) {
      const { httpStatusCode, requestId, extendedRequestId, cfId, attempts, totalRetryDelay } = metadata;
      lines.push(
        `  metadata: ${JSON.stringify({ httpStatusCode, requestId, extendedRequestId, cfId, attempts, totalRetryDelay })}`,
      );
    }
    if (current.stack)
      lines.push(
        ...current.stack
          .split('\n')
          .slice(1, 6)
          .map((line) => `  ${line.trim()}`),
      );
    current = current.cause;
  }
  return lines.join('\n');
}
