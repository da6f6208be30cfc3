/** English source catalog: teaching. */
export default {} as const;
