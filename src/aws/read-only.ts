// A guard for read-only commands (`plan`): only List*, Describe*, Get* and Search* operations
// pass. `plan` must work with read-only credentials and never change AWS, so a mutating call is
// a bug in iotops, refused here before it leaves the process.
import type { IotApi } from './iot-api.js';

const READ_OPERATION = /^(List|Describe|Get|Search)[A-Z]/;

export function isReadOperation(operation: string): boolean {
  return READ_OPERATION.test(operation);
}

export class ReadOnlyViolation extends Error {
  override readonly name = 'ReadOnlyViolation';
  readonly code = 'read-only-violation';
  constructor(readonly operation: string) {
    super(`iotops bug: ${operation} would change AWS during a read-only command; refused`);
  }
}

export function readOnlyApi(api: IotApi): IotApi {
  return {
    send(operation, input) {
      if (!isReadOperation(operation)) return Promise.reject(new ReadOnlyViolation(operation));
      return api.send(operation, input);
    },
  };
}
