import { DurableObject } from "cloudflare:workers";

/** One per user: realtime events to that user's open tabs over hibernating WebSockets. */
export class UserInbox extends DurableObject<Env> {}
