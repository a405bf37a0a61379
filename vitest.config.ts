import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two workers on the 2-core machine (vitest's default is cores - 1), and each worker reuses its
    // module cache across files: a fresh fork per file re-imported the SDK and src/ each time, a
    // third of the suite's CPU. Tests keep their state in their own module (no shared singletons).
    maxWorkers: 2,
    isolate: false,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
