// Runs the rendered JavaScript snippet's upload() and prints, as JSON, every HTTP request its
// S3Client would send to AWS, and whether the client itself asks for path-style addressing.
// A middleware at the end of the stack answers each request locally, so nothing leaves the
// machine and the requests are exactly what the SDK built (host and path, signed headers).
//   node capture-js-upload.mjs SNIPPET_FILE FILE KEY
import { pathToFileURL } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';

const [snippetFile, file, key] = process.argv.slice(2);
const sent = [];
let pathStyle = false;
const send = S3Client.prototype.send;
S3Client.prototype.send = function (command, ...rest) {
  pathStyle = this.config.forcePathStyle === true;
  if (!this.middlewareStack.identify().some((entry) => entry.startsWith('captureForTest'))) {
    this.middlewareStack.add(
      () => async (args) => {
        const { method, protocol, hostname, port, path, headers } = args.request;
        sent.push({
          method,
          url: `${protocol}//${hostname}${port ? `:${port}` : ''}${path}`,
          headers: Object.fromEntries(
            Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
          ),
        });
        return {
          response: { statusCode: 200, headers: { etag: '"0"' }, body: new Uint8Array() },
          output: { $metadata: {} },
        };
      },
      { step: 'finalizeRequest', priority: 'low', name: 'captureForTest' },
    );
  }
  return send.call(this, command, ...rest);
};

const { upload } = await import(pathToFileURL(snippetFile).href);
await upload(file, key);
console.log(JSON.stringify({ sent, pathStyle }));
