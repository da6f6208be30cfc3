import type { TestProject } from "vitest/node";
import { startStripeFake } from "../fakes/stripe";

/** Starts the wire-level fakes of outside APIs (in Node) and hands their addresses to the Workers runtime. */
export default async function setup(project: TestProject) {
  const stripe = await startStripeFake();
  project.provide("stripeFakeUrl", stripe.url);
  return () => stripe.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    stripeFakeUrl: string;
  }
}
