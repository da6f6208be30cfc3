import type { TestProject } from "vitest/node";
import { startRealtimeKitFake } from "../fakes/realtimekit";
import { startStripeFake } from "../fakes/stripe";
import { startPushService } from "../fakes/pushService";
import { startEmailFake } from "../fakes/email";

/** Starts the wire-level fakes of outside APIs (in Node) and hands their addresses to the Workers runtime. */
export default async function setup(project: TestProject) {
  const [stripe, realtime, push, email] = await Promise.all([startStripeFake(), startRealtimeKitFake(), startPushService(), startEmailFake()]);
  project.provide("stripeFakeUrl", stripe.url);
  project.provide("realtimeFakeUrl", realtime.url);
  project.provide("pushServiceUrl", push.url);
  project.provide("emailFakeUrl", email.url);
  return async () => {
    await Promise.all([stripe.close(), realtime.close(), push.close(), email.close()]);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    stripeFakeUrl: string;
    realtimeFakeUrl: string;
    pushServiceUrl: string;
    emailFakeUrl: string;
  }
}
