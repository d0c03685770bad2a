/**
 * Objects in flight. Measured with bench/reencrypt.mjs against moto (2,000 objects, 2 CPUs):
 * 4 -> 75-90, 8 -> 87-99, 16 -> 114, 32 -> 103-140, 64 -> 96-145 objects/s; moto (one
 * Python process) is saturated from 16-32 on, and more lanes only queue there. Against S3,
 * where each request waits on the network rather than on the server, lanes are what buys
 * speed: the aws CLI runs 10. The SDK keeps up to 50 sockets per host, so 32 never queues
 * in the client.
 */
export const DEFAULT_REENCRYPT_CONCURRENCY = 32;

/** Above this many objects, looping from one machine is the wrong tool: S3 Batch Operations. */
export const DEFAULT_BATCH_THRESHOLD = 1_000_000;

/** This many failures in a row (and no success between) means every request fails: stop. */
export const FAILURE_STREAK_LIMIT = 50;
