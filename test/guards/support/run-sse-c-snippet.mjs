// Runs the rendered SSE-C JavaScript snippet against AWS_ENDPOINT_URL: upload, head, download,
// copy and rotate, with the key from the environment (SSE_C_KEY_BASE64) and, for rotate,
// NEW_KEY_BASE64. Prints what download returned.
//   node run-sse-c-snippet.mjs SNIPPET_FILE FILE
import { pathToFileURL } from 'node:url';

const [snippetFile, file] = process.argv.slice(2);
const snippet = await import(pathToFileURL(snippetFile).href);
await snippet.upload(file, 'in/hello.txt');
const head = await snippet.head('in/hello.txt');
const body = Buffer.from(await snippet.download('in/hello.txt')).toString();
const key = await snippet.loadCustomerKey();
await snippet.copy('in/hello.txt', 'in/copy.txt', key);
await snippet.rotate('in/hello.txt', key, Buffer.from(process.env.NEW_KEY_BASE64, 'base64'));
console.log(JSON.stringify({ body, algorithm: head.SSECustomerAlgorithm, md5: head.SSECustomerKeyMD5 }));
