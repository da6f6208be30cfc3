import { GROUP_PRICING, type SessionKind } from "../credits/policy";

/**
 * What a tutor earns for one completed session, in cents, after the platform's commission.
 * 1:1: the tutor's hourly rate for the duration. Group: each present student pays the group share of the
 * 1:1 price (GROUP_PRICING), so a group of 3 at 70 % pays the tutor 2.1× their hourly rate: more per hour than 1:1.
 */
export function tutorEarningCents(input: {
  kind: SessionKind;
  hourlyRateCents: number;
  durationMinutes: number;
  seats: number;
  students: number;
  commissionPercent: number;
}): number {
  const oneOnOne = (input.hourlyRateCents * input.durationMinutes) / 60;
  let gross = oneOnOne;
  if (input.kind === "group") {
    const tier = GROUP_PRICING.find((t) => input.seats >= t.minSeats && input.seats <= t.maxSeats);
    gross = tier ? (oneOnOne * tier.percent * input.students) / 100 : 0;
  }
  return Math.round((gross * (100 - input.commissionPercent)) / 100);
}
