// src/aws: the only code that imports @aws-sdk. The IotApi port (iot-api.ts), its SDK adapter
// with per-operation token buckets and typed retries (client.ts), the TPS table
// (rate-limits.ts), error classification (errors.ts) and pagination helpers (paginate.ts).
export type { IotApi, IotInput, IotOperation, IotOutput } from './iot-api.js';
export { createIotApi, type ApiStats, type CallEvent, type CreateIotApiProps, type IotClientApi, type OperationStats } from './client.js';
export { AwsCallError, isAwsError, classify, type AwsErrorCode, type AwsErrorName, type RetryClass } from './errors.js';
export { AWS_DEFAULT_TPS, UNKNOWN_OPERATION_TPS, operationTps, type RateLimits } from './rate-limits.js';
export { paginate, paginateItems, firstPage, listAll, type FirstPage, type PageInput, type PaginateOptions, type PaginatedOperation } from './paginate.js';
export { readOnlyApi, isReadOperation, ReadOnlyViolation } from './read-only.js';
