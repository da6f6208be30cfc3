import { describe, expect, it } from "vitest";
import { lookup } from "../../domain/i18n/translate";
import { auditAction } from "../../worker/middleware/audit";
import ar from "../../web/src/i18n/catalogs/ar/admin";
import en from "../../web/src/i18n/catalogs/en/admin";
import es from "../../web/src/i18n/catalogs/es/admin";
import { routeTable } from "./surface";

/**
 * The audit log names each admin action by the route that did it (`users.suspend`); the console says that name in
 * the admin's language from `admin.audit.actions` (dots and dashes as `_`, web/src/routes/admin/Audit.tsx). Every
 * admin route that changes something is in the catalogs, read from the app's own route table.
 */
const actionKey = (action: string) => action.replace(/[.-]/g, "_");

describe("audit action names in every language", () => {
  const actions = [
    ...new Set(
      routeTable()
        .filter((r) => !r.startsWith("GET ") && !r.startsWith("HEAD ") && r.includes(" /api/admin/"))
        .map((r) => auditAction(r.split(" ")[1]!, r.split(" ")[1]!).action),
    ),
  ].sort();

  it("reads the admin actions from the route table", () => {
    expect(actions).toContain("users.suspend");
    expect(actions).toContain("webhooks.replay");
  });

  for (const [lang, catalog] of [["en", en], ["es", es], ["ar", ar]] as const) {
    it(`names every admin action in ${lang}`, () => {
      expect(actions.filter((a) => typeof lookup(catalog, `audit.actions.${actionKey(a)}`) !== "string")).toEqual([]);
    });
  }
});
