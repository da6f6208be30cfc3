import { describe, expect, it } from "vitest";
import { Presence, type PresenceRecord } from "../../durable-objects/lib/presence";
import type { ServerMessage } from "../../domain/protocol";

const event: ServerMessage = { type: "credits.changed", balanceMinutes: 60 };

/** An inbox with `tabs` open that answers each push after `delayMs`, counting them. */
function inbox(tabs: number, delayMs = 0) {
  const state = { tabs, pushes: 0 };
  const send = async () => {
    state.pushes++;
    const reached = state.tabs;
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    return reached;
  };
  return { state, send };
}

/** The object's storage for what the inbox said, counting writes. */
function record(initial?: string) {
  let value = initial;
  const stored: PresenceRecord = {
    read: () => value,
    write: (v) => {
      r.writes++;
      value = v;
    },
  };
  const r = { writes: 0, value: () => value, stored };
  return r;
}

describe("a person's presence, as their object keeps it", () => {
  it("sends nothing to someone whose inbox never said a tab opened", async () => {
    const box = inbox(0);
    const p = new Presence(box.send, record().stored);
    expect(p.state).toBe("closed");
    await p.push("u1", event);
    expect(box.state.pushes).toBe(0);
  });

  it("pushes from the moment a tab opens until the last one closes, and remembers it across a restart", async () => {
    const box = inbox(1);
    const r = record();
    const p = new Presence(box.send, r.stored);
    p.set(true);
    await p.push("u1", event);
    await p.push("u1", event);
    expect(box.state.pushes).toBe(2);
    // The object restarts: what the inbox said is in its storage.
    const again = new Presence(box.send, r.stored);
    expect(again.state).toBe("open");
    await again.push("u1", event);
    expect(box.state.pushes).toBe(3);
    again.set(false);
    await again.push("u1", event);
    expect(box.state.pushes).toBe(3);
    expect(r.value()).toBe("closed");
    expect(r.writes).toBe(2);
  });

  it("learns that no tab is open from a push that reaches none (sockets dropped without their closing told)", async () => {
    const box = inbox(0);
    const r = record("open");
    const p = new Presence(box.send, r.stored);
    await p.push("u1", event);
    expect(p.state).toBe("closed");
    expect(r.value()).toBe("closed");
    await p.push("u1", event);
    expect(box.state.pushes).toBe(1);
  });

  it("keeps a tab that opened while a push was on its way (the push found none, the tab came after)", async () => {
    const box = inbox(0, 5);
    const p = new Presence(box.send, record("open").stored);
    const pushing = p.push("u1", event);
    p.set(true);
    box.state.tabs = 1;
    await pushing;
    expect(p.state).toBe("open");
    await p.push("u1", event);
    expect(box.state.pushes).toBe(2);
  });

  it("learns nothing from a push that failed", async () => {
    const p = new Presence(async () => null, record("open").stored);
    await p.push("u1", event);
    expect(p.state).toBe("open");
  });
});
