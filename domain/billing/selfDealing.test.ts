import { describe, expect, it } from "vitest";
import { normaliseEmail, samePersonSignal } from "./selfDealing";

describe("normaliseEmail", () => {
  it.each([
    ["Ann.Lee@Example.com", "ann.lee@example.com"],
    ["ann+tutor@example.com", "ann@example.com"],
    ["Ann.Lee+second@gmail.com", "annlee@gmail.com"],
    ["a.n.n.lee@googlemail.com", "annlee@gmail.com"],
    ["  ann@example.com ", "ann@example.com"],
    ["not-an-email", "not-an-email"],
  ])("%s → %s", (email, expected) => {
    expect(normaliseEmail(email)).toBe(expected);
  });
});

describe("samePersonSignal", () => {
  const tutor = { userId: "t", email: "ann.lee@gmail.com", cardFingerprints: ["fp_tutor_card"] };
  it("sees one mailbox behind a +tag and dots", () => {
    expect(samePersonSignal(tutor, { userId: "s", email: "annlee+student@gmail.com", cardFingerprints: [] })).toBe("same_email");
  });
  it("sees one card", () => {
    expect(samePersonSignal(tutor, { userId: "s", email: "someone@else.org", cardFingerprints: ["fp_other", "fp_tutor_card"] })).toBe("same_card");
  });
  it("lets different people be", () => {
    expect(samePersonSignal(tutor, { userId: "s", email: "ann.lee@example.com", cardFingerprints: ["fp_other"] })).toBeNull();
  });
});
