#!/usr/bin/env node
// A stand-in for the aws CLI, first on PATH in tests of the rendered scripts. It logs every
// call (argv as JSON, one line each) and answers as an S3 bucket whose policy behaves as
// FAKE_AWS_POLICY says, so verify.sh's positive path can run where moto cannot (moto
// ignores policy conditions). It knows only the calls the scripts make.
import { appendFileSync } from 'node:fs';

const args = process.argv.slice(2);
const env = process.env;

const flag = (name) => {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
};
const command = `${args[0]} ${args[1]}`;
const keyArn = env.FAKE_AWS_KEY_ARN ?? '';

function fail(code, operation, message, status) {
  // What `--debug` logs of the answer: verify.sh reads the HTTP status from it.
  if (status !== undefined && args.includes('--debug')) {
    process.stderr.write(
      `2026-01-01 00:00:00,000 - MainThread - urllib3.connectionpool - DEBUG - https://fake "PUT / HTTP/1.1" ${status} 0\n`,
    );
  }
  process.stderr.write(`\nAn error occurred (${code}) when calling the ${operation} operation: ${message}\n`);
  // aws CLI v2's exit code; v1 uses 255. The scripts must not depend on either.
  process.exit(254);
}

/** Would the bucket policy (as FAKE_AWS_POLICY describes it) let this upload through? */
function policyAllows() {
  const sse = flag('--server-side-encryption');
  const key = flag('--ssekms-key-id');
  if (flag('--sse-customer-algorithm') !== undefined && env.FAKE_AWS_POLICY !== 'none') return false;
  switch (env.FAKE_AWS_POLICY) {
    case 'strict-kms':
      return sse === 'aws:kms' && key === keyArn;
    case 'compatible-kms':
      return sse === undefined || (sse === 'aws:kms' && key === keyArn);
    case 'strict-s3':
      return sse === 'AES256';
    case 'compatible-s3':
      return sse === undefined || sse === 'AES256';
    default:
      return true;
  }
}

// The model of a current CLI: every request field the scripts send is known.
if (args.includes('--generate-cli-skeleton')) {
  console.log(
    env.FAKE_AWS_SKELETON ??
      '{"KeyId": "", "RotationPeriodInDays": 0, "ServerSideEncryptionConfiguration": {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "", "KMSMasterKeyID": ""}, "BucketKeyEnabled": true, "BlockedEncryptionTypes": {"EncryptionType": ["NONE"]}}]}}',
  );
  process.exit(0);
}
if (args[0] === '--version') {
  console.log('aws-cli/2.99.0 (fake)');
  process.exit(0);
}

// Only calls that would reach AWS are logged (not the model and version look-ups above).
appendFileSync(env.FAKE_AWS_LOG ?? '/dev/null', `${JSON.stringify(args)}\n`);

switch (command) {
  case 'kms describe-key':
    if (env.FAKE_AWS_ALIAS_EXISTS !== '1' && flag('--key-id')?.startsWith('alias/')) {
      fail('NotFoundException', 'DescribeKey', `Alias ${flag('--key-id')} is not found.`);
    }
    console.log(flag('--query') === 'KeyMetadata.Arn' ? keyArn : `${keyArn}\tEnabled`);
    break;
  case 'kms list-keys':
    console.log('');
    break;
  case 'kms list-resource-tags':
    console.log(env.FAKE_AWS_KEY_TAGS ?? '');
    break;
  // setup.sh's query prints the tagged keys' ARNs sorted, space-separated, or none.
  case 'resourcegroupstaggingapi get-resources':
    console.log(env.FAKE_AWS_TAGGED_KEYS ?? 'none');
    break;
  case 'kms create-key':
    console.log(keyArn);
    break;
  case 's3api head-bucket':
    if (env.FAKE_AWS_BUCKET_EXISTS !== '1') fail('404', 'HeadBucket', 'Not Found');
    break;
  // The reads setup.sh backs up before it writes: absent unless the test sets them.
  case 's3api get-bucket-policy':
    if (env.FAKE_AWS_BUCKET_POLICY === undefined)
      fail('NoSuchBucketPolicy', 'GetBucketPolicy', 'The bucket policy does not exist');
    console.log(env.FAKE_AWS_BUCKET_POLICY);
    break;
  case 's3api get-bucket-encryption':
    if (env.FAKE_AWS_BUCKET_ENCRYPTION !== undefined) {
      console.log(env.FAKE_AWS_BUCKET_ENCRYPTION);
      break;
    }
    fail(
      'ServerSideEncryptionConfigurationNotFoundError',
      'GetBucketEncryption',
      'The server side encryption configuration was not found',
    );
    break;
  case 'kms get-key-policy':
    console.log(env.FAKE_AWS_KEY_POLICY ?? '');
    break;
  case 'kms get-key-rotation-status':
    console.log(env.FAKE_AWS_ROTATION ?? 'True\t365');
    break;
  case 's3api get-public-access-block':
    if (env.FAKE_AWS_PUBLIC_ACCESS_BLOCK !== undefined) {
      console.log(env.FAKE_AWS_PUBLIC_ACCESS_BLOCK);
      break;
    }
    fail(
      'NoSuchPublicAccessBlockConfiguration',
      'GetPublicAccessBlock',
      'The public access block configuration was not found',
    );
    break;
  // Every role exists unless FAKE_AWS_MISSING_ROLES (a JSON array of role names) lists it.
  case 'iam get-role': {
    const role = flag('--role-name') ?? '';
    if (JSON.parse(env.FAKE_AWS_MISSING_ROLES ?? '[]').includes(role)) {
      fail('NoSuchEntity', 'GetRole', `The role with name ${role} cannot be found.`);
    }
    console.log(`arn:aws:iam::123456789012:role/${role}`);
    break;
  }
  case 'iam get-role-policy':
    fail(
      'NoSuchEntity',
      'GetRolePolicy',
      `The role policy with name ${flag('--policy-name')} cannot be found.`,
    );
    break;
  case 's3api put-object':
    if (env.FAKE_AWS_UNREACHABLE === '1') {
      process.stderr.write('\nCould not connect to the endpoint URL: "https://s3.amazonaws.com/"\n');
      process.exit(255);
    }
    if (!policyAllows()) fail('AccessDenied', 'PutObject', 'Access Denied', 403);
    console.log(flag('--query') === 'VersionId' ? 'None' : '{"ETag": "\\"0\\""}');
    break;
  case 's3api head-object':
    if (env.FAKE_AWS_HEAD === undefined) fail('404', 'HeadObject', 'Not Found');
    console.log(env.FAKE_AWS_HEAD);
    break;
  // Batch Operations: a job id made from the request's token, as CreateJob answers a retry.
  case 's3control create-job': {
    const request = JSON.parse(flag('--cli-input-json') ?? '{}');
    console.log(`job-${request.ClientRequestToken}`);
    break;
  }
  default:
    // Every other call (put-bucket-policy, put-role-policy, delete-object, ...) succeeds.
    break;
}
