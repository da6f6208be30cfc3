import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "./server";

/**
 * `npm run dev` on a local database from before wallets moved into the students' objects: the ledger is in D1 the
 * old way (a refund as a lot of its own, no values). The first request moves it into the wallet, balance intact.
 */
const STUDENT = "0b1d0c4e-0000-4000-8000-00000000beef";
const DAY = 86_400_000;
const at = (ms: number) => `'${new Date(ms).toISOString()}'`;
const now = Date.now();
const sql = `
INSERT INTO users (id, email, name, role, timezone, password_hash) VALUES ('${STUDENT}', 'old-timer@example.com', 'Old Timer', 'student', 'UTC', 'x');
INSERT INTO students (user_id) VALUES ('${STUDENT}');
INSERT INTO credit_ledger (id, user_id, kind, minutes, lot_id, expires_at, reservation_id, source_ref, reason, created_at) VALUES
  ('g', '${STUDENT}', 'grant', 240, NULL, ${at(now + 30 * DAY)}, NULL, 'invoice:in_old', 'Starter · 4 hours a month (subscription_create)', ${at(now - 20 * DAY)}),
  ('d1', '${STUDENT}', 'debit', 60, 'g', NULL, 'res-a', NULL, NULL, ${at(now - 19 * DAY)}),
  ('r1', '${STUDENT}', 'refund', 60, 'g', ${at(now + 30 * DAY)}, 'res-a', NULL, 'cancelled by student', ${at(now - 18 * DAY)}),
  ('d2', '${STUDENT}', 'debit', 30, 'r1', NULL, 'res-b', NULL, NULL, ${at(now - 17 * DAY)}),
  ('gift', '${STUDENT}', 'adjust', 60, NULL, ${at(now + 50 * DAY)}, NULL, NULL, 'goodwill', ${at(now - 16 * DAY)});
`;

let server: DevServer;
beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), "tutorly-old-ledger-")), "old.sql");
  writeFileSync(file, sql);
  server = await startDevServer({}, { seedSqlFile: file });
});
afterAll(async () => {
  await server?.stop();
});

describe("npm run dev on a database from before the wallet move", () => {
  it("moves the old ledger into the student's wallet on the first request, keeping the balance", async () => {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: server.url },
      body: JSON.stringify({ email: "admin@tutorly.dev", password: "tutorly-admin" }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const credits = await (await fetch(`${server.url}/api/admin/credits/${STUDENT}`, { headers: { Cookie: cookie } })).json();
    // 240 − 60 + 60 − 30 of the plan month (the refund lot folds back into it) and the 60-minute gift.
    expect(credits.balanceMinutes).toBe(270);
    expect(credits.grants.map((g: { id: string; funding: string; remainingMinutes: number }) => [g.id, g.funding, g.remainingMinutes])).toEqual([
      ["g", "paid", 210],
      ["gift", "promo", 60],
    ]);
    // Nothing is left to move.
    const again = await fetch(`${server.url}/api/admin/wallets/import`, { method: "POST", headers: { Cookie: cookie, Origin: server.url } });
    expect(await again.json()).toEqual({ students: 0, unresolved: 0, remaining: false, next: null });
  });
});
