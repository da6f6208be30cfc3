/** English source catalog: auth. */
export default {} as const;
