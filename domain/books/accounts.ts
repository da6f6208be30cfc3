/**
 * Tutorly's chart of accounts. Every journal line moves integer cents into one of these; a line's amount is
 * positive for a debit and negative for a credit, so the lines of each transaction add up to zero.
 *
 * Assets and expenses grow with debits, liabilities and revenue with credits: an account's *balance* as shown
 * is its sum of lines times its `sign` (so a healthy balance of each is positive).
 */
export const ACCOUNTS = {
  stripe_cash: {
    kind: "asset",
    name: "Cash at Stripe",
    about: "Money in our Stripe balance: payments in; refunds, disputes and transfers to tutors out.",
  },
  disputed_funds: {
    kind: "asset",
    name: "Disputed funds",
    about: "Money Stripe withdrew for an open dispute; it comes back if the dispute is won.",
  },
  payments_clearing: {
    kind: "liability",
    name: "Payments not yet credited",
    about: "Paid at Stripe, credit not granted yet. Zero for every purchase once the wallet has granted it.",
  },
  taxes_payable: {
    kind: "liability",
    name: "Tax collected",
    about: "Sales tax a payment included (Stripe Tax): owed to the tax authorities, never credit.",
  },
  deferred_revenue: {
    kind: "liability",
    name: "Unspent paid credit",
    about: "The paid value of credit students hold and have not spent (deferred revenue).",
  },
  booked_sessions: {
    kind: "liability",
    name: "Booked, not yet taught",
    about: "Paid credit spent on sessions that have not taken place: refundable until they do.",
  },
  tutor_payable: {
    kind: "liability",
    name: "Owed to tutors",
    about: "What tutors earned and have not been paid out yet.",
  },
  earned_revenue: {
    kind: "revenue",
    name: "Session revenue",
    about: "Paid credit spent on sessions that took place, less what their tutors earn from it (the commission), and paid credit kept from seats cancelled too late for a refund.",
  },
  breakage: {
    kind: "revenue",
    name: "Expired credit",
    about: "Paid credit that expired unspent, or that an admin withdrew.",
  },
  promotional_cost: {
    kind: "expense",
    name: "Promotional cost",
    about: "Tutor earnings paid for with promotional credit (welcome, free tier, admin gifts).",
  },
  refunds: {
    kind: "expense",
    name: "Refunds",
    about: "Money refunded beyond the unspent credit taken back, and credit given back for sessions already taught.",
  },
  dispute_losses: {
    kind: "expense",
    name: "Lost disputes",
    about: "Disputed money lost, less the unspent credit taken back for it.",
  },
  earning_overrun: {
    kind: "expense",
    name: "Earnings beyond revenue",
    about: "Tutor earnings a session's credit did not pay for (never expected: the finance page lists any).",
  },
} as const satisfies Record<string, { kind: AccountKind; name: string; about: string }>;

export type AccountKind = "asset" | "liability" | "revenue" | "expense";
export type AccountId = keyof typeof ACCOUNTS;
export const ACCOUNT_IDS = Object.keys(ACCOUNTS) as AccountId[];

/** +1 for accounts that grow with debits (assets, expenses), −1 for those that grow with credits. */
export const sign = (account: AccountId): 1 | -1 => (ACCOUNTS[account].kind === "asset" || ACCOUNTS[account].kind === "expense" ? 1 : -1);

export const isAccountId = (s: string): s is AccountId => Object.hasOwn(ACCOUNTS, s);

/** An account's balance as shown (positive when healthy) from the plain sum of its lines. */
export const shownBalance = (account: AccountId, sumOfLines: number): number => (sumOfLines === 0 ? 0 : sumOfLines * sign(account));
