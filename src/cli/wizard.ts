import {
  defaultKeyAlias,
  validateAccountId,
  validateBucket,
  validateKeyAlias,
  validateKeyArn,
  validateRegion,
  validateRequestsPerMonth,
  validateRole,
  validateRotationDays,
} from '../config/fields.js';
import { DEFAULT_REQUESTS_PER_MONTH, DEFAULT_ROTATION_DAYS } from '../config/parse-config.js';
import type { Answers } from '../types.js';
import type { Ui } from '../ui/ui.js';
import { explainUnsupportedScheme, type WizardScheme } from './scheme-choice.js';

export type WizardOutcome = { kind: 'answers'; answers: Answers } | { kind: 'stopped'; reason: string };

/** Splits a prompt's role list; commas and spaces separate (a role name with a comma needs the flag). */
export function splitRoles(input: string): string[] {
  return input.split(/[\s,]+/).filter((part) => part.length > 0);
}

function validateRoleList(accountId: string | undefined) {
  return (input: string) => {
    for (const role of splitRoles(input)) {
      const problem = validateRole(role, accountId);
      if (problem) return problem;
    }
    return undefined;
  };
}

/**
 * Asks only what flags left open, in the order of the issue: protection, target, roles,
 * key, enforcement, volume, output. Every prompt throws CancelledError on Esc / Ctrl-C.
 */
export async function askMissingAnswers(
  given: Answers,
  ui: Ui,
  discoverAccountId?: () => Promise<string | undefined>,
): Promise<WizardOutcome> {
  const answers: Answers = { ...given };

  if (answers.scheme === undefined) {
    const scheme = await ui.select<WizardScheme>({
      message: 'Which protection?',
      initialValue: 'sse-kms',
      options: [
        {
          value: 'sse-kms',
          label: 'SSE-KMS, customer-managed key (recommended)',
          hint: 'access separation, CloudTrail audit of every decrypt, rotation; about $1/month per key plus requests',
        },
        {
          value: 'sse-s3',
          label: 'SSE-S3',
          hint: 'free and automatic; no access separation, no per-decrypt audit',
        },
        {
          value: 'sse-c',
          label: 'SSE-C',
          hint: 'you send the key with every request; lose it and the data is gone',
        },
        {
          value: 'client-side',
          label: 'Client-side encryption',
          hint: 'end-to-end; the heavy lifting moves into your app',
        },
      ],
    });
    if (scheme === 'sse-c' || scheme === 'client-side') {
      ui.note(explainUnsupportedScheme(scheme), scheme === 'sse-c' ? 'SSE-C' : 'Client-side encryption');
      return {
        kind: 'stopped',
        reason: `${scheme} is not something this tool can set up for you; nothing was written.`,
      };
    }
    answers.scheme = scheme;
  }

  // Started now, so STS answers while the user types the bucket and region.
  const discoveredAccountId = answers.accountId === undefined ? discoverAccountId?.() : undefined;
  answers.bucket ??= await ui.text({
    message: 'Bucket name',
    placeholder: 'acme-contracts',
    validate: validateBucket,
  });
  answers.region ??= await ui.text({
    message: 'Region',
    defaultValue: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    placeholder: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    validate: validateRegion,
  });
  if (answers.accountId === undefined) {
    const discovered = await discoveredAccountId;
    answers.accountId = await ui.text({
      message: discovered ? 'AWS account id (from your current credentials)' : 'AWS account id (12 digits)',
      ...(discovered ? { initialValue: discovered } : { placeholder: '123456789012' }),
      validate: validateAccountId,
    });
  }
  answers.createBucket ??= await ui.confirm({ message: 'Create the bucket as well?', initialValue: false });

  // One line each: who they are, and what they may and may never do.
  const roleQuestions = [
    ['appRoles', 'Application roles (read and write objects; the key only through S3)'],
    ['operatorRoles', 'Operator roles (manage bucket settings; can never decrypt)'],
    ['auditorRoles', 'Auditor roles (read key, bucket and CloudTrail settings; change nothing)'],
    ...(answers.scheme === 'sse-kms'
      ? ([
          ['keyAdminRoles', 'Key administrator role (optional; administers the key, can never decrypt)'],
        ] as const)
      : []),
  ] as const;
  for (const [field, message] of roleQuestions) {
    if (answers[field] !== undefined) continue;
    const input = await ui.text({
      message,
      placeholder: 'role names or ARNs, separated by spaces; Enter for none',
      defaultValue: '',
      validate: validateRoleList(answers.accountId),
    });
    answers[field] = splitRoles(input);
  }

  if (answers.scheme === 'sse-kms' && answers.existingKey === undefined && answers.keyAlias === undefined) {
    const keyChoice = await ui.select({
      message: 'Key',
      initialValue: 'new' as const,
      options: [
        {
          value: 'new' as const,
          label: 'Create a new customer-managed key',
          hint: 'alias, automatic rotation',
        },
        {
          value: 'existing' as const,
          label: 'Use an existing key (full ARN)',
          hint: 'its key policy is left as it is',
        },
      ],
    });
    if (keyChoice === 'existing') {
      answers.existingKey = await ui.text({
        message: 'Existing key ARN',
        placeholder: 'arn:aws:kms:REGION:ACCOUNT:key/...',
        validate: (value) => validateKeyArn(value, answers.region),
      });
    } else {
      answers.keyAlias = await ui.text({
        message: 'Key alias',
        defaultValue: defaultKeyAlias(answers.bucket),
        placeholder: defaultKeyAlias(answers.bucket),
        validate: validateKeyAlias,
      });
    }
  }
  if (
    answers.scheme === 'sse-kms' &&
    answers.existingKey === undefined &&
    answers.rotationDays === undefined
  ) {
    answers.rotationDays = await ui.text({
      message: 'Rotate the key every how many days? (90 to 2560)',
      defaultValue: String(DEFAULT_ROTATION_DAYS),
      placeholder: String(DEFAULT_ROTATION_DAYS),
      validate: validateRotationDays,
    });
  }

  answers.enforcement ??= await ui.select({
    message: 'Upload enforcement',
    initialValue: 'strict',
    options: [
      {
        value: 'strict',
        label: 'Strict',
        hint: 'every upload must send the encryption headers; headerless clients (some SDKs, Terraform state locks) break',
      },
      {
        value: 'compatible',
        label: 'Compatible',
        hint: 'only uploads naming another algorithm or key are refused; headerless uploads get the bucket default',
      },
    ],
  });

  answers.requestsPerMonth ??= await ui.text({
    message: 'Expected uploads plus downloads per month (for the cost estimate)',
    defaultValue: String(DEFAULT_REQUESTS_PER_MONTH),
    placeholder: String(DEFAULT_REQUESTS_PER_MONTH),
    validate: validateRequestsPerMonth,
  });

  if (answers.mode === undefined) {
    answers.mode = await ui.select<'render' | 'apply'>({
      message: 'Apply now, or render files to review?',
      initialValue: 'render',
      options: [
        {
          value: 'render',
          label: 'Render files',
          hint: 'shell script, JSON policies, Terraform; works offline',
        },
        {
          value: 'apply',
          label: 'Apply now',
          hint: 'uses your AWS credentials; shows the diff and asks first',
        },
      ],
    });
  }
  if (answers.mode === 'render' && answers.renderDir === undefined) {
    answers.renderDir = await ui.text({
      message: 'Folder for the files',
      defaultValue: defaultRenderDir(answers.bucket),
      placeholder: defaultRenderDir(answers.bucket),
    });
  }
  return { kind: 'answers', answers };
}

export function defaultRenderDir(bucket: string): string {
  return `./${bucket}-encryption`;
}
