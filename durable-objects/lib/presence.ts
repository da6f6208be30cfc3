import { z } from "zod";
import { type ServerMessage, ServerMessageSchema } from "../../domain/protocol";

/** What an inbox tells its person's object: a tab opened (true) or the last one closed (false). */
export const PresenceSchema = z.boolean();

/** A live event handed to the object that knows whether its person has a tab open. */
export const LiveArgsSchema = z.object({ userId: z.string().min(1).max(64), message: ServerMessageSchema });

/** Where an object keeps what its person's inbox last said (one value in its own storage). */
export type PresenceRecord = { read(): string | undefined; write(value: "open" | "closed"): void };

/**
 * Whether the person an object belongs to (a student's account, a tutor's calendar) has a Tutorly tab open, as their
 * `UserInbox` last said, so a live event for someone with no tab open does not wake their inbox at all.
 *
 * Every tab opens through the inbox, which tells this before it accepts the socket, and tells the closing of the last
 * one after it, one telling at a time, so what it says last is how things are. Until it has said anything, nobody
 * has a tab open. It is kept in the object's storage, so it survives a restart; should a restart drop the sockets
 * without their closing being told, the first push that reaches no tab says so, unless a tab opened while that push
 * was on its way (the version says so).
 */
export class Presence {
  private open: boolean | undefined;
  private version = 0;

  /** `send` pushes to the person's inbox and answers how many tabs it reached (null: the push failed). */
  constructor(
    private readonly send: (userId: string, message: ServerMessage) => Promise<number | null>,
    private readonly record: PresenceRecord,
  ) {}

  /** What the person's inbox says: a tab opened, or the last one closed. */
  set(open: boolean) {
    this.version++;
    this.remember(open);
  }

  /** Whether the person has a tab open, as far as this object knows. */
  get state(): "open" | "closed" {
    return this.isOpen ? "open" : "closed";
  }

  /** Sends `message` to the person's tabs if they have one open. */
  async push(userId: string, message: ServerMessage): Promise<void> {
    if (!this.isOpen) return;
    const asked = this.version;
    const reached = await this.send(userId, message);
    if (reached === 0 && this.version === asked) this.remember(false);
  }

  private get isOpen(): boolean {
    this.open ??= this.record.read() === "open";
    return this.open;
  }

  private remember(open: boolean) {
    if (open !== this.isOpen) this.record.write(open ? "open" : "closed");
    this.open = open;
  }
}
