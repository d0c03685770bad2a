import { KEY_ARN_PLACEHOLDER, type KeyReference } from '../types.js';

/*
 * The one place that knows how a document says "the new key's ARN". Policies are JSON, and
 * IAM wants strings, so a document carries KEY_ARN_PLACEHOLDER where the new key's ARN goes;
 * every consumer resolves it through these functions, never by comparing strings itself.
 */

export const NEW_KEY: KeyReference = { kind: 'created-by-this-plan' };

/** The key's ARN as a consumer spells it: an existing key's ARN, or the consumer's form of the new key's. */
export function keyArnFor(key: KeyReference, newKeyArn: string): string {
  return key.kind === 'existing' ? key.arn : newKeyArn;
}

/** The key's ARN as the plan's documents carry it (and the JSON files print it). */
export function keyArnInDocuments(key: KeyReference): string {
  return keyArnFor(key, KEY_ARN_PLACEHOLDER);
}

/** A document with every reference to the new key replaced by `keyArn` (apply: the created key's ARN). */
export function resolveKeyArn<T>(document: T, keyArn: string): T {
  const placeholder = JSON.stringify(KEY_ARN_PLACEHOLDER).slice(1, -1);
  const arn = JSON.stringify(keyArn).slice(1, -1);
  // A function, so `$` patterns in the ARN are never read as replacement patterns.
  return JSON.parse(JSON.stringify(document).replaceAll(placeholder, () => arn)) as T;
}

/**
 * A string cut where it names the new key: one piece when it does not, `['', '']` when it is
 * exactly that ARN. Views that spell the ARN as an expression (CloudFormation, Terraform) join
 * the pieces their own way.
 */
export function splitAtNewKeyArn(text: string): string[] {
  return text.split(KEY_ARN_PLACEHOLDER);
}

/** Whether a document names the new key anywhere (a key's policy must not: it would be circular). */
export function refersToNewKey(document: unknown): boolean {
  return JSON.stringify(document).includes(KEY_ARN_PLACEHOLDER);
}

/** A plan's key ARN as its documents spell it, or undefined without a key. */
export function keyArnText(key: KeyReference | undefined): string | undefined {
  return key && keyArnInDocuments(key);
}
