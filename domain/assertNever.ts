/** The default branch of an exhaustive switch over a discriminated union. */
export function assertNever(x: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(x)}`);
}
