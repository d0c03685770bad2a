import { BucketLocationConstraint } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/*
 * The region table is a module-level constant: each test imports the module afresh, so the
 * table is built inside the test (mutation testing sees it covered by the test that checks it).
 */
let regions: typeof import('../../src/config/regions.js');
beforeEach(async () => {
  vi.resetModules();
  regions = await import('../../src/config/regions.js');
});

/** Where S3 can create a bucket: its LocationConstraint values, and us-east-1, which has none. */
function s3BucketRegions(): string[] {
  return [...Object.values(BucketLocationConstraint).filter((region) => region !== 'EU'), 'us-east-1'];
}

/** The partition a region code belongs to, by its documented prefix. */
function expectedPartition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

describe('the known regions', () => {
  it('are exactly the regions S3 creates buckets in, once each', () => {
    expect([...regions.ALL_REGIONS].sort()).toEqual(s3BucketRegions().sort());
  });

  it('each belong to their partition', () => {
    for (const region of s3BucketRegions())
      expect([region, regions.partitionOf(region)]).toEqual([region, expectedPartition(region)]);
  });

  it('nothing else has a partition: typos, the legacy EU constraint, other partitions, case', () => {
    for (const value of [
      '',
      'EU',
      'eu-west1',
      'EU-WEST-1',
      'us-iso-east-1',
      'mars-1',
      'aws',
      'aws-cn',
      ' eu-west-1',
    ])
      expect([value, regions.partitionOf(value)]).toEqual([value, undefined]);
  });
});

describe('closestRegion suggests a region for a typo', () => {
  it('ignores separators and case', () => {
    expect(regions.closestRegion('eu-west1')).toBe('eu-west-1');
    expect(regions.closestRegion('euwest1')).toBe('eu-west-1');
    expect(regions.closestRegion('EU_WEST_1')).toBe('eu-west-1');
    expect(regions.closestRegion('us gov west 1')).toBe('us-gov-west-1');
    expect(regions.closestRegion('cn.northwest.1')).toBe('cn-northwest-1');
  });

  it('completes a prefix to the first region that starts with it, whatever its case', () => {
    expect(regions.closestRegion('us-east')).toBe('us-east-1');
    expect(regions.closestRegion('US-WEST')).toBe('us-west-1');
    expect(regions.closestRegion('ap-southeast-')).toBe('ap-southeast-1');
  });

  it('an exact squashed match wins over a prefix match', () => {
    // "us-east-1" squashes to "useast1"; a prefix search for "useast1" finds nothing.
    expect(regions.closestRegion('useast2')).toBe('us-east-2');
  });

  it('suggests nothing for what resembles no region', () => {
    expect(regions.closestRegion('mars-1')).toBeUndefined();
    expect(regions.closestRegion('eu-west-9')).toBeUndefined();
  });
});
