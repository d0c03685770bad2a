import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * True when the standard credential chain has something to find, judged without loading the
 * SDK or making a network call, so a wizard run without credentials never pays for either.
 */
export function hasCredentialHints(): boolean {
  const env = process.env;
  if (
    env.AWS_PROFILE ||
    env.AWS_ACCESS_KEY_ID ||
    env.AWS_WEB_IDENTITY_TOKEN_FILE ||
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI
  ) {
    return true;
  }
  return ['credentials', 'config'].some((file) => existsSync(join(homedir(), '.aws', file)));
}
