import { InvalidArgumentError } from "commander";

/**
 * commander option parser for a whole number in [min, max] (underscores allowed: 1_000_000), shared
 * by `npm run utm`, `npm run bench` and `npm run bench:dashboard` so they refuse the same way.
 */
export const wholeNumber = (flag: string, min: number, max: number) => (value: string) => {
  const n = Number(value.replace(/_/g, ""));
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be a whole number from ${min} to ${max}`);
  return n;
};
