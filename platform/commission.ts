/** The platform's cut of tutor earnings, a whole percent (PLATFORM_COMMISSION_PERCENT, default 20). */
export function commissionPercent(env: Pick<Env, "PLATFORM_COMMISSION_PERCENT">): number {
  const n = Number(env.PLATFORM_COMMISSION_PERCENT ?? 20);
  return Number.isInteger(n) && n >= 0 && n <= 100 ? n : 20;
}
