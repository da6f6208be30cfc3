import type { TestProject } from "vitest/node";
import { startCalendlyFake } from "../fakes/calendly";
import { startRealtimeKitFake } from "../fakes/realtimekit";
import { startStripeFake } from "../fakes/stripe";
import { startPushService } from "../fakes/pushService";
import { startEmailFake } from "../fakes/email";

/** Starts the wire-level fakes of outside APIs (in Node) and hands their addresses to the Workers runtime. */
export default async function setup(project: TestProject) {
  const [stripe, realtime, push, calendly, email] = await Promise.all([startStripeFake(), startRealtimeKitFake(), startPushService(), startCalendlyFake(), startEmailFake()]);
  project.provide("stripeFakeUrl", stripe.url);
  project.provide("realtimeFakeUrl", realtime.url);
  project.provide("pushServiceUrl", push.url);
  project.provide("calendlyFakeUrl", calendly.url);
  project.provide("emailFakeUrl", email.url);
  return async () => {
    await Promise.all([stripe.close(), realtime.close(), push.close(), calendly.close(), email.close()]);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    stripeFakeUrl: string;
    realtimeFakeUrl: string;
    calendlyFakeUrl: string;
    pushServiceUrl: string;
    emailFakeUrl: string;
  }
}
