/** English source catalog: admin. */
export default {} as const;
