/** English source catalog: room. */
export default {} as const;
