#!/usr/bin/env node
// Entry point of the `iotops` command. TypeScript sources run through tsx's loader,
// so `npx iotops` works right after `npm ci` with no build step to remember.
// The SDK's Node-version notice is silenced here, before any SDK module loads.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
