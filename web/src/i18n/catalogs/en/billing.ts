/** English source catalog: billing. */
export default {} as const;
