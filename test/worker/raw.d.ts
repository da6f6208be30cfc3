/** Vite's `?raw` imports (fixture files as text), in Node and Workers tests alike. */
declare module "*?raw" {
  const text: string;
  export default text;
}
