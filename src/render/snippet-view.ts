import { keyArnInDocuments, NEW_KEY } from '../plan/key-reference.js';
import { schemeTraits } from '../plan/schemes.js';
import type { Plan } from '../types.js';
import { encodeView, sourceString } from './view-values.js';

/** The view for the JavaScript and Python snippets: strings become source string literals. */
export function snippetView(plan: Plan) {
  const { key } = plan.desired;
  return encodeView(
    {
      region: plan.config.region,
      bucket: plan.config.bucket,
      kms: key !== undefined,
      // SSE-C snippets load the customer key at run time; no key is ever rendered.
      sseC: schemeTraits(plan.config.scheme).bucketLayer === 'sse-c',
      newKey: key?.kind === 'new',
      // The snippets print the new key's ARN as the JSON files do; the reader puts it in.
      keyArn: keyArnInDocuments(plan.keyArn ?? NEW_KEY),
      // Dots in a bucket name break virtual-hosted HTTPS certificate checks.
      pathStyle: plan.config.bucket.includes('.'),
    },
    sourceString,
  );
}
