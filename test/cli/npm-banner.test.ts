import { describe, expect, it } from 'vitest';
import { eraseRows, npmBannerRows } from '../../src/ui/npm-banner.js';

const NPM_START = {
  npm_lifecycle_event: 'start',
  npm_package_name: 'create-encrypted-bucket',
  npm_package_version: '0.1.0',
  npm_lifecycle_script: 'node scripts/build.mjs --quiet && node dist/bin.js',
};

describe("npm's script banner", () => {
  it('counts the rows npm printed (blank, two lines, blank), wrapped at the width', () => {
    // "> node scripts/build.mjs --quiet && node dist/bin.js --region eu-west-1" is 71 characters.
    expect(npmBannerRows(NPM_START, ['--region', 'eu-west-1'], 120)).toBe(4);
    expect(npmBannerRows(NPM_START, ['--region', 'eu-west-1'], 60)).toBe(5);
    expect(npmBannerRows(NPM_START, [], 80)).toBe(4);
  });

  it('erases nothing outside our own npm start script', () => {
    expect(npmBannerRows({}, [], 80)).toBe(0);
    expect(npmBannerRows({ ...NPM_START, npm_lifecycle_event: 'test' }, [], 80)).toBe(0);
    expect(npmBannerRows({ ...NPM_START, npm_package_name: 'other' }, [], 80)).toBe(0);
    // A start script that may print before the wizard: the rows above are not only the banner.
    expect(
      npmBannerRows(
        { ...NPM_START, npm_lifecycle_script: 'node scripts/build.mjs && node dist/bin.js' },
        [],
        80,
      ),
    ).toBe(0);
    expect(eraseRows(0)).toBe('');
    expect(eraseRows(4)).toBe('\x1b[4A\x1b[0J');
  });
});
