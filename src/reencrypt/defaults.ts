/**
 * Concurrent object requests. Measured with bench/reencrypt.mjs against moto (see the
 * numbers there): throughput stops growing past this, and real S3 takes far more.
 */
export const DEFAULT_REENCRYPT_CONCURRENCY = 32;

/** Above this many objects, looping from one machine is the wrong tool: S3 Batch Operations. */
export const DEFAULT_BATCH_THRESHOLD = 1_000_000;

/** This many failures in a row (and no success between) means every request fails: stop. */
export const FAILURE_STREAK_LIMIT = 50;
