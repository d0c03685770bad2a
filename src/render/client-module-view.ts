import { CONTEXT_BUCKET, CONTEXT_OBJECT_KEY, CONTEXT_SDK_PUBLIC_KEY } from '../plan/client-side-context.js';
import { keyArnInDocuments, NEW_KEY } from '../plan/key-reference.js';
import type { Plan, RenderedFile } from '../types.js';
import type { Render } from './create-renderer.js';
import { shellQuote } from './shell-quote.js';
import { encodeView, sourceString, verbatim } from './view-values.js';

/**
 * The versions the rendered client/ pins: the ones this project's own tests run it with (its
 * dev dependencies; test/client/render-client.test.ts keeps the two equal), so what CI proved
 * is what the user installs. Constants, not read from package.json, which would then ship in
 * the CLI's start-up bundle.
 */
export const CLIENT_DEPENDENCIES = {
  '@aws-crypto/client-node': '5.0.2',
  '@aws-sdk/client-s3': '3.1173.0',
};

/** The raw keyring's namespace and default key name, written into every message's header. */
export const KEY_NAMESPACE = 'create-encrypted-bucket';
export const DEFAULT_KEY_NAME = 'master-key-1';

export const isClientScheme = (plan: Plan) =>
  plan.config.scheme === 'client-kms' || plan.config.scheme === 'client-app-key';

/** What client/'s three files share; the key ARN is only known here for an existing key. */
function facts(plan: Plan) {
  const { config } = plan;
  const kms = config.scheme === 'client-kms';
  return {
    scheme: config.scheme,
    bucket: config.bucket,
    region: config.region,
    kms,
    newKey: kms && plan.desired.key?.kind !== 'existing',
    keyArn: keyArnInDocuments(plan.keyArn ?? NEW_KEY),
    keyNamespace: KEY_NAMESPACE,
    keyName: DEFAULT_KEY_NAME,
    contextBucket: CONTEXT_BUCKET,
    contextObjectKey: CONTEXT_OBJECT_KEY,
    contextSdkPublicKey: CONTEXT_SDK_PUBLIC_KEY,
    encryptionSdkVersion: CLIENT_DEPENDENCIES['@aws-crypto/client-node'],
    s3Version: CLIENT_DEPENDENCIES['@aws-sdk/client-s3'],
  };
}

/** client.mjs and package.json: every string a JSON (so JavaScript) string literal. */
export function clientModuleView(plan: Plan) {
  const { scheme, ...values } = facts(plan);
  return {
    ...encodeView(
      {
        ...values,
        packageName: `${plan.config.bucket.replaceAll('.', '-')}-client`,
        description: `Client-side encryption (${scheme}) for s3://${plan.config.bucket}`,
        // Dots in a bucket name break virtual-hosted HTTPS certificate checks.
        pathStyle: plan.config.bucket.includes('.'),
      },
      sourceString,
    ),
    // S3 bucket names are lowercase letters, digits, dots and hyphens: safe in a comment.
    bucketText: verbatim(plan.config.bucket),
  };
}

/** README.md is Markdown: values as they are, except the one shell command. */
export function clientReadmeView(plan: Plan) {
  const values = facts(plan);
  return { ...values, keyArnShell: shellQuote(values.keyArn) };
}

/** The client/ folder of the client-side schemes. */
export function renderClientModule(plan: Plan, render: Render): RenderedFile[] {
  if (!isClientScheme(plan)) return [];
  return [
    render('client/client.mjs', clientModuleView(plan), true),
    render('client/package.json', clientModuleView(plan)),
    render('client/README.md', clientReadmeView(plan)),
  ];
}
