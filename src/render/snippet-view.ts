import { schemeTraits } from '../plan/schemes.js';
import type { Plan } from '../types.js';
import { KEY_ARN_PLACEHOLDER } from '../types.js';
import { keyFacts } from './plan-facts.js';
import { encodeView, sourceString } from './view-values.js';

/** The view for the JavaScript and Python snippets: strings become source string literals. */
export function snippetView(plan: Plan) {
  const key = keyFacts(plan);
  return encodeView(
    {
      region: plan.config.region,
      bucket: plan.config.bucket,
      kms: key.kms,
      // SSE-C snippets load the customer key at run time; no key is ever rendered.
      sseC: schemeTraits(plan.config.scheme).bucketLayer === 'sse-c',
      newKey: key.newKey,
      keyArn: key.existingArn ?? KEY_ARN_PLACEHOLDER,
      // Dots in a bucket name break virtual-hosted HTTPS certificate checks.
      pathStyle: plan.config.bucket.includes('.'),
    },
    sourceString,
  );
}
