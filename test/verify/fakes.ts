import { S3ServiceException } from '@aws-sdk/client-s3';
import type { Ui } from '../../src/ui/ui.js';

/** An SDK-shaped service error, as the SDK throws it after reading an error response. */
export function serviceError(name: string, httpStatusCode: number, message: string): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode, requestId: `req-${name}` },
    message,
  });
}

export interface RecordingUi extends Ui {
  lines: string[];
}

/** A non-interactive Ui that records what it was asked to show. */
export function recordingUi(): RecordingUi {
  const lines: string[] = [];
  const record = (kind: string) => (message: string, title?: string) => {
    lines.push(title === undefined ? `${kind}: ${message}` : `${kind}[${title}]: ${message}`);
  };
  const refuse = () => Promise.reject(new Error('verify must not prompt'));
  return {
    interactive: false,
    lines,
    intro: record('intro'),
    outro: record('outro'),
    note: record('note'),
    info: record('info'),
    warn: record('warn'),
    success: record('success'),
    error: record('error'),
    text: refuse,
    select: refuse,
    confirm: refuse,
    spinner: () => ({
      start: record('spinner.start'),
      stop: record('spinner.stop'),
      error: record('spinner.error'),
    }),
  };
}
