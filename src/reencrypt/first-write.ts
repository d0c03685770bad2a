import { AppError, type AwsError } from '../errors.js';

/*
 * "Can the caller do what it is about to do?" has one honest judge: AWS, deciding the request
 * itself. A simulation (iam:SimulatePrincipalPolicy) sees neither the key policy as KMS applies
 * it nor the bucket policy's conditions, and needs permissions the re-encrypting role should
 * not have. So the first write of each kind (UpdateObjectEncryption, CopyObject) is sent alone,
 * before any other write of that kind: a refused request writes nothing, and a refusal of the
 * caller (not of one object) stops the run there, naming the role to run as.
 */

export const REENCRYPT_ROLE_HINT =
  'run it as the re-encryption role: add `--reencrypt-role ROLE` to this command (it is assumed through STS), the role given to --reencrypt-role when the bucket was set up; without one, run the setup again with --reencrypt-role ROLE';

/** AccessDenied and its KMS forms: the caller, not the object, was refused. */
export function isRefusal(error: AwsError): boolean {
  return (
    error.httpStatus === 403 ||
    /AccessDenied|KMS\.AccessDeniedException|not authorized/i.test(`${error.errorName} ${error.message}`)
  );
}

export class RoleNeededError extends AppError {
  constructor(
    readonly operation: 'UpdateObjectEncryption' | 'CopyObject',
    readonly key: string,
    refusal: AwsError,
    caller: string | undefined,
    /** Writes of the other kind this run already made (each proven by its own first request). */
    written = 0,
  ) {
    const needs =
      operation === 'UpdateObjectEncryption'
        ? 's3:UpdateObjectEncryption on the objects, and through S3 kms:Encrypt, kms:Decrypt, kms:GenerateDataKey and kms:ReEncrypt* on the keys'
        : 's3:GetObject, s3:PutObject, s3:GetObjectTagging and s3:PutObjectTagging on the objects, and through S3 kms:Decrypt and kms:GenerateDataKey on the keys';
    super(
      'REENCRYPT_NOT_PERMITTED',
      `${caller ?? 'The caller'} may not re-encrypt this bucket: the first ${operation} (on ${key}) was refused (${refusal.errorName}: ${refusal.message}). ${
        written === 0
          ? 'Nothing was written.'
          : `No ${operation} was written; ${written} object${written === 1 ? ' was' : 's were'} re-encrypted before this by the other method, and the checkpoint keeps them.`
      } Re-encryption needs ${needs}.`,
      { hint: REENCRYPT_ROLE_HINT, cause: refusal },
    );
  }
}

type GateState = 'untested' | 'testing' | 'passed' | 'halted';

/**
 * Sends the first request of a kind alone; the others wait until it tells something.
 * `judge` says whether the answer proved the caller may (passed), proved nothing about the
 * caller (the next request is the probe), or must stop everything (an Error to throw).
 */
export class FirstWriteGate {
  private state: GateState = 'untested';
  private gate: Promise<void> | undefined;
  private halt: unknown;

  get halted(): boolean {
    return this.state === 'halted';
  }

  assertOpen(): void {
    if (this.state === 'halted') throw this.halt;
  }

  stop(error: unknown): void {
    this.state = 'halted';
    this.halt = error;
  }

  /** `send(true)` is the probe, and only its answer goes to `judge`. */
  async run<T>(
    send: (probe: boolean) => Promise<T>,
    judge: (result: T) => Promise<'passed' | 'unknown'>,
  ): Promise<T> {
    for (;;) {
      if (this.state === 'halted') throw this.halt;
      if (this.state === 'passed') return send(false);
      if (this.state === 'testing') {
        await this.gate;
        continue;
      }
      this.state = 'testing';
      let open = () => {};
      this.gate = new Promise((resolve) => {
        open = resolve;
      });
      try {
        const result = await send(true);
        const verdict = await judge(result);
        if (this.state === 'testing') this.state = verdict === 'passed' ? 'passed' : 'untested';
        return result;
      } catch (error) {
        this.stop(error);
        throw error;
      } finally {
        open();
      }
    }
  }
}
