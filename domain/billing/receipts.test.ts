import { describe, expect, it } from "vitest";
import { purchasedItem } from "./receipts";

describe("purchasedItem", () => {
  it.each([
    ["pack pack-180", { kind: "pack", id: "pack-180", name: "3 extra hours" }],
    ["Standard · 8 hours a month (subscription_create)", { kind: "plan", id: "standard", name: "Standard · 8 hours a month" }],
    ["Starter · 4 hours a month (subscription_cycle)", { kind: "plan", id: "starter", name: "Starter · 4 hours a month" }],
    ["upgrade (prorated)", { kind: "upgrade" }],
    ["test credit", { kind: "credit" }],
    [null, { kind: "credit" }],
  ])("reads %j", (reason, item) => {
    expect(purchasedItem(reason)).toEqual(item);
  });
});
