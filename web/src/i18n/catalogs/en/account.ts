/** English source catalog: account. */
export default {} as const;
