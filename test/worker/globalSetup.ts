import type { TestProject } from "vitest/node";
import { startRealtimeKitFake } from "../fakes/realtimekit";
import { startStripeFake } from "../fakes/stripe";
import { startPushService } from "../fakes/pushService";

/** Starts the wire-level fakes of outside APIs (in Node) and hands their addresses to the Workers runtime. */
export default async function setup(project: TestProject) {
  const [stripe, realtime, push] = await Promise.all([startStripeFake(), startRealtimeKitFake(), startPushService()]);
  project.provide("stripeFakeUrl", stripe.url);
  project.provide("realtimeFakeUrl", realtime.url);
  project.provide("pushServiceUrl", push.url);
  return async () => {
    await Promise.all([stripe.close(), realtime.close(), push.close()]);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    stripeFakeUrl: string;
    realtimeFakeUrl: string;
    pushServiceUrl: string;
  }
}
