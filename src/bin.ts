#!/usr/bin/env node
import { main } from './main.js';

// The bundled SDK is pinned; its warning is about SDK releases this package does not pick up.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await main(process.argv);
