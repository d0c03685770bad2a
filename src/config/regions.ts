import type { Partition } from '../types.js';

/** Region codes by partition, from the AWS SDK's endpoint data (botocore endpoints.json). */
const REGIONS_BY_PARTITION: Record<Partition, readonly string[]> = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'mx-central-1',
    'sa-east-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
};

export const ALL_REGIONS: readonly string[] = Object.values(REGIONS_BY_PARTITION).flat();

export function partitionOf(region: string): Partition | undefined {
  for (const [partition, regions] of Object.entries(REGIONS_BY_PARTITION)) {
    if (regions.includes(region)) return partition as Partition;
  }
  return undefined;
}

/** Suggests the closest known region for a typo such as `eu-west1` or `us-east`. */
export function closestRegion(input: string): string | undefined {
  const squashed = input.toLowerCase().replace(/[^a-z0-9]/g, '');
  return (
    ALL_REGIONS.find((region) => region.replace(/-/g, '') === squashed) ??
    ALL_REGIONS.find((region) => region.startsWith(input.toLowerCase()))
  );
}
