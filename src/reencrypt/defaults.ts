/**
 * The lanes of a run with --concurrency are fixed at that number; without it they adapt
 * (adaptive-lanes.ts: from 8 up to 48, under the SDK's 50 sockets per host). Kept as the
 * figure other commands quote for "requests in flight".
 */
export const DEFAULT_REENCRYPT_CONCURRENCY = 32;

/** Above this many objects, looping from one machine is the wrong tool: S3 Batch Operations. */
export const DEFAULT_BATCH_THRESHOLD = 1_000_000;

/** This many failures in a row (and no success between) means every request fails: stop. */
export const FAILURE_STREAK_LIMIT = 50;
