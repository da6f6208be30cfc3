/** English source catalog: messages. */
export default {} as const;
