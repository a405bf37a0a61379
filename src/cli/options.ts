// Option parsers shared by the commands.
import { InvalidArgumentError } from 'commander';

/** A commander parser for a whole number ≥ min (e.g. `--max-deletes 0`, `--concurrency 8`). */
export function wholeNumber(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be a whole number ≥ ${min}`);
    return n;
  };
}
