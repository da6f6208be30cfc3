import { describe, expect, it } from "vitest";
import { type DigestMember, planDigests } from "./digest";

const T = Date.parse("2027-03-01T09:00:00Z");
const MIN = 60_000;
const maya = (over: Partial<DigestMember> = {}): DigestMember => ({ userId: "maya", readSeq: 0, digestedSeq: 0, lastDigestMs: null, ...over });
const olivia = (over: Partial<DigestMember> = {}): DigestMember => ({ userId: "olivia", readSeq: 0, digestedSeq: 0, lastDigestMs: null, ...over });
const fromOlivia = (seq: number, minutesAfterT: number) => ({ seq, senderId: "olivia", createdMs: T + minutesAfterT * MIN });

describe("planDigests", () => {
  it("waits until a message has been unread for 15 minutes", () => {
    const plan = planDigests([maya(), olivia({ readSeq: 1 })], [fromOlivia(1, 0)], T + 14 * MIN);
    expect(plan).toEqual({ due: [], nextAt: T + 15 * MIN });
  });

  it("sends one digest with everything still unread, oldest first", () => {
    const plan = planDigests([maya(), olivia({ readSeq: 3 })], [fromOlivia(1, 0), fromOlivia(2, 5), fromOlivia(3, 14)], T + 15 * MIN);
    expect(plan).toEqual({ due: [{ userId: "maya", seqs: [1, 2, 3] }], nextAt: null });
  });

  it("owes nothing for messages that were read, or that the member sent", () => {
    const mine = { seq: 2, senderId: "maya", createdMs: T };
    expect(planDigests([maya({ readSeq: 2 }), olivia({ readSeq: 2 })], [fromOlivia(1, 0), mine], T + 60 * MIN)).toEqual({ due: [], nextAt: null });
  });

  it("sends at most one digest an hour per conversation and member", () => {
    const after = maya({ digestedSeq: 1, lastDigestMs: T + 15 * MIN });
    // A new message at 09:20 has been unread 15 minutes at 09:35, but the last digest was at 09:15.
    const early = planDigests([after, olivia({ readSeq: 2 })], [fromOlivia(1, 0), fromOlivia(2, 20)], T + 35 * MIN);
    expect(early).toEqual({ due: [], nextAt: T + 75 * MIN });
    const late = planDigests([after, olivia({ readSeq: 2 })], [fromOlivia(1, 0), fromOlivia(2, 20)], T + 75 * MIN);
    expect(late.due).toEqual([{ userId: "maya", seqs: [2] }]);
  });

  it("plans each member on their own, and skips a member who turned digests off", () => {
    const both = [fromOlivia(1, 0), { seq: 2, senderId: "maya", createdMs: T + 10 * MIN }];
    expect(planDigests([maya({ readSeq: 2 }), olivia({ readSeq: 1 })], both, T + 20 * MIN)).toEqual({ due: [], nextAt: T + 25 * MIN });
    expect(planDigests([maya(), olivia({ readSeq: 1, optedOut: true })], both, T + 30 * MIN)).toEqual({ due: [{ userId: "maya", seqs: [1] }], nextAt: null });
  });
});
