import {
  defaultKeyAlias,
  validateKeyAlias,
  validateKeyArn,
  validateRequestsPerMonth,
  validateRotationDays,
} from '../config/fields.js';
import { DEFAULT_REQUESTS_PER_MONTH, DEFAULT_ROTATION_DAYS } from '../config/parse-config.js';
import { answerTraits } from '../plan/schemes.js';
import type { Answers } from '../types.js';
import type { Ui } from '../ui/ui.js';
import { askRoles } from './wizard-roles.js';

/**
 * Behind "Customise": each answer starts at its current value (a default until changed);
 * what a flag or the config file set is not asked again.
 */
export async function askAdvanced(answers: Answers, given: Answers, ui: Ui): Promise<void> {
  const traits = answerTraits(answers.scheme);
  const kms = traits.usesKmsKey;
  if (given.createBucket === undefined) {
    answers.createBucket = await ui.confirm({
      message: 'Create the bucket as well?',
      initialValue: answers.createBucket ?? false,
    });
  }
  if (kms && given.existingKey === undefined && given.keyAlias === undefined) {
    const choice = await ui.select<'new' | 'existing'>({
      message: 'Key',
      initialValue: answers.existingKey ? 'existing' : 'new',
      options: [
        { value: 'new', label: 'Create a new customer-managed key', hint: 'alias, automatic rotation' },
        {
          value: 'existing',
          label: 'Use an existing key (full ARN)',
          hint: 'its key policy is left as it is',
        },
      ],
    });
    if (choice === 'existing') {
      delete answers.keyAlias;
      delete answers.rotationDays;
      answers.existingKey = await ui.text({
        message: 'Existing key ARN',
        placeholder: `arn:aws:kms:${answers.region}:${answers.accountId}:key/...`,
        ...(answers.existingKey ? { initialValue: answers.existingKey } : {}),
        validate: (value) => validateKeyArn(value, answers.region),
      });
    } else {
      delete answers.existingKey;
      answers.keyAlias = await ui.text({
        message: 'Key alias',
        defaultValue: answers.keyAlias ?? defaultKeyAlias(answers.bucket ?? ''),
        validate: validateKeyAlias,
      });
    }
  }
  if (kms && answers.existingKey === undefined && given.rotationDays === undefined) {
    answers.rotationDays = await ui.text({
      message: 'Rotate the key every how many days? (90 to 2560)',
      defaultValue: answers.rotationDays ?? String(DEFAULT_ROTATION_DAYS),
      validate: validateRotationDays,
    });
  }
  // SSE-C has one enforcement only: every upload carries the customer key.
  if (given.enforcement === undefined && traits.bucketLayer !== 'sse-c') {
    answers.enforcement = await ui.select({
      message: 'Upload enforcement',
      initialValue: answers.enforcement ?? 'strict',
      options: [
        {
          value: 'strict',
          label: 'Strict',
          hint: kms
            ? 'every upload must name this key; headerless clients break'
            : 'every upload must ask for AES256; headerless clients break',
        },
        {
          value: 'compatible',
          label: 'Compatible',
          hint: 'only uploads asking for other encryption are refused; the rest get the default',
        },
      ],
    });
  }
  if (kms && given.reencryptRoles === undefined) {
    delete answers.reencryptRoles;
    await askRoles(answers, ui, ['reencryptRoles']);
  }
  if (kms && given.requestsPerMonth === undefined) {
    answers.requestsPerMonth = await ui.text({
      message: 'Expected uploads plus downloads per month (for the KMS cost estimate)',
      defaultValue: answers.requestsPerMonth ?? String(DEFAULT_REQUESTS_PER_MONTH),
      validate: validateRequestsPerMonth,
    });
  }
}
