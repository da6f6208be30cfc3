import { describe, expect, it } from "vitest";
import { tutorEarningCents } from "./earnings";

describe("tutorEarningCents", () => {
  it.each([
    ["1:1, 60 min at $40/h, 20 % commission", { kind: "one_on_one", hourlyRateCents: 4000, durationMinutes: 60, seats: 1, students: 1, commissionPercent: 20 }, 3200],
    ["1:1, 45 min at $30/h", { kind: "one_on_one", hourlyRateCents: 3000, durationMinutes: 45, seats: 1, students: 1, commissionPercent: 20 }, 1800],
    ["group of 3 seats, 3 students, 60 min at $40/h", { kind: "group", hourlyRateCents: 4000, durationMinutes: 60, seats: 3, students: 3, commissionPercent: 20 }, 6720],
    ["group of 8 seats, 5 students", { kind: "group", hourlyRateCents: 4000, durationMinutes: 60, seats: 8, students: 5, commissionPercent: 20 }, 8000],
    ["group nobody attended", { kind: "group", hourlyRateCents: 4000, durationMinutes: 60, seats: 4, students: 0, commissionPercent: 20 }, 0],
  ] as const)("%s", (_, input, cents) => {
    expect(tutorEarningCents(input)).toBe(cents);
  });

  it("pays a full group more per hour than 1:1", () => {
    const base = { hourlyRateCents: 4000, durationMinutes: 60, commissionPercent: 20 };
    const one = tutorEarningCents({ ...base, kind: "one_on_one", seats: 1, students: 1 });
    expect(tutorEarningCents({ ...base, kind: "group", seats: 2, students: 2 })).toBeGreaterThan(one);
    expect(tutorEarningCents({ ...base, kind: "group", seats: 8, students: 8 })).toBeGreaterThan(one);
  });
});
