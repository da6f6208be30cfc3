import type { ArgsOf, KeyOf, Translation } from "../../../domain/i18n/translate";
import type core from "./catalogs/en/core";

/**
 * The SPA catalogs' types, apart from the loader (web/src/i18n/index.ts, which needs Vite): the catalogs and the
 * completeness test import these. `Sources`: each namespace's English catalog, the source of its keys.
 */
export type Sources = {
  core: typeof core;
  auth: typeof import("./catalogs/en/auth").default;
  account: typeof import("./catalogs/en/account").default;
  sessions: typeof import("./catalogs/en/sessions").default;
  billing: typeof import("./catalogs/en/billing").default;
  teaching: typeof import("./catalogs/en/teaching").default;
  room: typeof import("./catalogs/en/room").default;
  admin: typeof import("./catalogs/en/admin").default;
  messages: typeof import("./catalogs/en/messages").default;
  errors: typeof import("./catalogs/en/errors").default;
};
export type Namespace = keyof Sources;
export type Key = KeyOf<Sources>;
/** A key whose message has no holes (a label held in data: `t(item.label)`). */
export type PlainKey = { [K in Key]: ArgsOf<Sources, K> extends [] ? K : never }[Key];
/** A catalog of namespace `N` in some language (what es/ and ar/ files export). */
export type CatalogOf<N extends Namespace> = Translation<Sources[N]>;

