import type { Config, CostEstimate } from '../types.js';
import { schemeTraits } from './schemes.js';

/** KMS pricing as the issue states it: $1 per key-month, $0.03 per 10,000 requests, 20,000 free a month. */
export const KEY_MONTHLY_USD = 1;
export const USD_PER_10K_REQUESTS = 0.03;
export const FREE_REQUESTS_PER_MONTH = 20_000;
/** AWS quotes "up to 99%" fewer KMS requests with a Bucket Key; the estimate takes it at face value. */
export const BUCKET_KEY_REQUEST_SHARE = 0.01;

function requestCost(requests: number): number {
  return (Math.max(0, requests - FREE_REQUESTS_PER_MONTH) / 10_000) * USD_PER_10K_REQUESTS;
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

/** Each upload asks KMS for a data key and each download for a decrypt, without a Bucket Key. */
export function estimateCost(config: Config): CostEstimate {
  const requests = config.requestsPerMonth;
  // SSE-S3, SSE-C and client-app-key make no KMS requests at all.
  if (!schemeTraits(config.scheme).usesKmsKey || config.key === undefined) {
    return zeroCost(requests);
  }
  const keyUsd = config.key.kind === 'new' ? KEY_MONTHLY_USD : 0;
  const withBucketKey = Math.ceil(requests * BUCKET_KEY_REQUEST_SHARE);
  const monthlyWith = keyUsd + requestCost(withBucketKey);
  return {
    keysPerMonthUsd: keyUsd,
    requestsPerMonth: requests,
    kmsRequestsWithoutBucketKey: requests,
    kmsRequestsWithBucketKey: withBucketKey,
    monthlyUsdWithoutBucketKey: cents(keyUsd + requestCost(requests)),
    monthlyUsdWithBucketKey: cents(monthlyWith),
    yearlyUsdWithBucketKey: cents(monthlyWith * 12),
  };
}

function zeroCost(requests: number): CostEstimate {
  return {
    keysPerMonthUsd: 0,
    requestsPerMonth: requests,
    kmsRequestsWithoutBucketKey: 0,
    kmsRequestsWithBucketKey: 0,
    monthlyUsdWithoutBucketKey: 0,
    monthlyUsdWithBucketKey: 0,
    yearlyUsdWithBucketKey: 0,
  };
}
