import { describe, expect, it } from "vitest";
import { FULL_QUALITY, scaleDownBy, sendProfile } from "./quality";

describe("sendProfile", () => {
  it.each([
    [2, FULL_QUALITY],
    [4, FULL_QUALITY],
    [5, { maxHeight: 360, maxFramerate: 15, maxBitrateBps: 350_000 }],
    [6, { maxHeight: 360, maxFramerate: 15, maxBitrateBps: 350_000 }],
    [9, { maxHeight: 240, maxFramerate: 12, maxBitrateBps: 200_000 }],
  ])("a room of %i sends %j", (n, profile) => {
    expect(sendProfile(n)).toEqual(profile);
  });

  it("lowers what each sender uploads in total once the group is above four", () => {
    const upload = (n: number) => sendProfile(n).maxBitrateBps * (n - 1);
    expect(upload(5)).toBeLessThan(upload(4));
    expect(upload(9)).toBeLessThan(upload(4));
  });
});

describe("scaleDownBy", () => {
  it.each([
    [720, FULL_QUALITY, 1],
    [720, sendProfile(5), 2],
    [480, sendProfile(9), 2],
    [180, sendProfile(9), 1],
    [undefined, sendProfile(9), 1],
  ] as const)("a %s-pixel camera in profile %j scales by %i", (height, profile, factor) => {
    expect(scaleDownBy(height, profile)).toBe(factor);
  });
});
