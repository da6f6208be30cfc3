import { describe, expect, it } from "vitest";
import { RoomClientMessageSchema, RoomServerMessageSchema } from "./protocol";

describe("RoomClientMessageSchema", () => {
  it.each([
    [{ type: "ping" }],
    [{ type: "chat", text: "Hello!" }],
    [{ type: "media", state: { audio: false, video: true, screen: false } }],
    [{ type: "signal", to: "p1", signal: { kind: "description", description: { type: "offer", sdp: "v=0\r\n" } } }],
    [{ type: "signal", to: "p1", signal: { kind: "candidate", candidate: { candidate: "candidate:1 1 udp 2122260223 192.0.2.2 54321 typ host", sdpMid: "0", sdpMLineIndex: 0 } } }],
    [{ type: "signal", to: "p1", signal: { kind: "candidate", candidate: null } }],
    [{ type: "leave" }],
  ])("accepts %j", (message) => {
    expect(RoomClientMessageSchema.safeParse(message).success).toBe(true);
  });

  it.each([
    ["an unknown type", { type: "subscribe" }],
    ["an empty chat message", { type: "chat", text: "   " }],
    ["a chat message over 1000 characters", { type: "chat", text: "x".repeat(1001) }],
    ["a signal without a recipient", { type: "signal", signal: { kind: "candidate", candidate: null } }],
    ["a description of an unknown type", { type: "signal", to: "p1", signal: { kind: "description", description: { type: "rollback", sdp: "" } } }],
    ["partial media state", { type: "media", state: { audio: true } }],
  ])("refuses %s", (_, message) => {
    expect(RoomClientMessageSchema.safeParse(message).success).toBe(false);
  });

  it("trims chat text", () => {
    expect(RoomClientMessageSchema.parse({ type: "chat", text: "  hi  " })).toEqual({ type: "chat", text: "hi" });
  });
});

describe("RoomServerMessageSchema", () => {
  it("describes the room to a newcomer", () => {
    const peer = { peerId: "p1", userId: "u1", name: "Anish", role: "host", audio: true, video: true, screen: false };
    const welcome = {
      type: "welcome",
      self: { ...peer, peerId: "p2", userId: "u2", name: "Maya", role: "participant" },
      peers: [peer],
      chat: [{ id: "m1", userId: "u1", name: "Anish", text: "Welcome", at: "2027-03-01T09:00:00.000Z" }],
      session: { bookingId: "b1", start: "2027-03-01T09:00:00.000Z", end: "2027-03-01T10:00:00.000Z" },
    };
    expect(RoomServerMessageSchema.parse(welcome)).toEqual(welcome);
  });
});
