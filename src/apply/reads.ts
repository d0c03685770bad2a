import { awsCall } from '../aws/aws-call.js';
import { AwsError } from '../errors.js';

/**
 * A read whose "not found" answer is a state, not a failure: returns undefined for the
 * listed error names, throws every other error as the AwsError awsCall made of it.
 */
export async function readIfExists<T>(
  step: string,
  operation: string,
  notFound: readonly string[],
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await awsCall(step, operation, call);
  } catch (error) {
    if (error instanceof AwsError && notFound.includes(error.errorName)) return undefined;
    throw error;
  }
}

export function isAccessDenied(error: unknown): error is AwsError {
  return (
    error instanceof AwsError &&
    (error.httpStatus === 403 || /AccessDenied|UnauthorizedOperation|NotAuthorized/.test(error.errorName))
  );
}

/**
 * A read that only adds information: when access is denied it resolves to `denied` with a
 * warning naming the permission, so apply still runs; other errors still throw.
 */
export async function softRead<T>(
  step: string,
  operation: string,
  call: () => Promise<T>,
): Promise<{ value: T } | { denied: string }> {
  try {
    return { value: await awsCall(step, operation, call) };
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    return {
      denied:
        `${step}: the caller may lack a permission (${operation} was denied). ${error.hint ?? ''}`.trim(),
    };
  }
}

/**
 * A read started before it is known to be needed: never rejects, so it can be dropped;
 * calling the answer gives the value or throws the read's error, once it is needed.
 */
export function speculative<T>(read: Promise<T>): Promise<() => T> {
  return read.then(
    (value) => () => value,
    (error: unknown) => () => {
      throw error;
    },
  );
}

/** Runs `task` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
