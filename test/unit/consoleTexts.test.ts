import { describe, expect, it } from "vitest";
import { ACCOUNTS, ACCOUNT_IDS, MISMATCH_CODES, type Mismatch, earningOverrun, reconcileCash, reconcileClearing, unbalancedTransaction } from "../../domain/books";
import { CRON_JOBS } from "../../domain/schemas/cron";
import { WEBHOOK_NOTE_CODES } from "../../domain/schemas/webhookNotes";
import { formatMoney } from "../../domain/format/amounts";
import { type Tree, fill, lookup } from "../../domain/i18n/translate";

/**
 * What the admin console shows of the books comes from the catalogs, not from the server's English: the journal's
 * account names and descriptions by account id, and each reconciliation mismatch by its code with the record it
 * is about (`subject`) and the amounts. Rendered here as the Finance page renders them (web/src/routes/admin/Finance.tsx).
 */
const catalog = async (lang: string): Promise<Tree> => (await import(`../../web/src/i18n/catalogs/${lang}/admin.ts`)).default;
const at = "2027-03-10T12:00:00.000Z";

/** One mismatch of every kind, made by the functions the report uses. */
const everyMismatch = (): Mismatch[] => [
  ...reconcileCash(
    [
      { txId: "stripe:evt_a", at, category: "payment", ref: "pi_2", amountCents: 12_000 },
      { txId: "payout:p1", at, category: "transfer", ref: "tr_9", amountCents: -4_800 },
    ],
    [
      { id: "txn_ch_1", at, category: "payment", source: "ch_1", keys: ["ch_1", "pi_1"], amountCents: 9_900, feeCents: 30 },
      { id: "txn_ch_2", at, category: "payment", source: "ch_2", keys: ["ch_2", "pi_2"], amountCents: 11_000, feeCents: 30 },
    ],
    () => true,
  ),
  ...reconcileClearing([
    { ref: "cs_paid", balanceCents: -9_900, txIds: ["stripe:evt_p"] },
    { ref: "cs_credited", balanceCents: 3_300, txIds: ["grant:g1"] },
  ]),
  unbalancedTransaction("tx_odd", 5),
  earningOverrun("tx_over", "bk_42", 250),
];

describe("the console's books in the admin's language", () => {
  it("has one mismatch of each code to check", () => {
    expect(new Set(everyMismatch().map((m) => m.code))).toEqual(new Set(MISMATCH_CODES));
  });

  for (const lang of ["es", "ar"]) {
    it(`says every mismatch in ${lang} with its record and amounts, never the server's English sentence`, async () => {
      const admin = await catalog(lang);
      const locale = lang === "es" ? "es-ES" : "ar";
      for (const m of everyMismatch()) {
        const leaf = lookup(admin, `finance.mismatch.${m.code}`);
        expect(leaf, m.code).toBeTypeOf("string");
        const text = fill(leaf!, { subject: m.subject, stripe: formatMoney(m.stripeCents ?? 0, "usd", locale), journal: formatMoney(m.journalCents ?? 0, "usd", locale) }, locale).join("");
        expect(text).toContain(m.subject);
        expect(m.message).toContain(m.subject);
        expect(text).not.toBe(m.message);
        expect(text).toContain(formatMoney(m.journalCents ?? m.stripeCents ?? 0, "usd", locale));
      }
    });

    it(`names every account of the journal in ${lang}, not in the server's English`, async () => {
      const admin = await catalog(lang);
      for (const id of ACCOUNT_IDS) {
        const name = lookup(admin, `finance.ledger.${id}.name`);
        const about = lookup(admin, `finance.ledger.${id}.about`);
        expect(name, id).toBeTypeOf("string");
        expect(about, id).toBeTypeOf("string");
        expect(name).not.toBe(ACCOUNTS[id].name);
        expect(about).not.toBe(ACCOUNTS[id].about);
      }
    });
  }

  for (const lang of ["en", "es", "ar"]) {
    it(`names every scheduled job and says every webhook outcome in ${lang} (the schedule's names are typed by CRON_JOBS)`, async () => {
      const admin = await catalog(lang);
      for (const job of CRON_JOBS) expect(lookup(admin, `health.jobNames.${job}`), job).toBeTruthy();
      for (const code of WEBHOOK_NOTE_CODES) expect(lookup(admin, `webhooks.notes.${code}`), code).toBeTruthy();
    });
  }
});
