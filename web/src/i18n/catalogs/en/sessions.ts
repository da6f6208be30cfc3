/** English source catalog: sessions. */
export default {} as const;
