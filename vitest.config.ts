import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every test must assert something that could fail.
    expect: { requireAssertions: true },
    // The pinned SDK warns about its future releases on Node 20; the CLI silences it the same way.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Most test time is spent waiting on moto, the aws CLI and the built CLI, not on this
    // process: vitest's default (cores - 1) would run one file at a time on a 2-core machine.
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
