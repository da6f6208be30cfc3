import { zValidator } from "@hono/zod-validator";
import type { Context, ValidationTargets } from "hono";
import { type ZodType, z } from "zod";
import { humanErrorIn } from "../../domain/schemas/humanErrors";
import { acceptLanguageTags, languageOf, negotiateLocale } from "../../domain/i18n/locales";
import { ApiError, toIssues } from "./errors";

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;

/**
 * A JSON route reads only JSON: a body sent as a form, text or anything else is refused (415), where the
 * validator underneath would read it as `{}` and let an all-optional schema accept a request nobody wrote as such.
 * A request with no body and no Content-Type is an empty object, as before.
 */
function assertJsonBody(c: Context) {
  const type = c.req.header("Content-Type");
  const refused = type !== undefined ? !JSON_MEDIA.test(type.split(";")[0]!.trim()) : c.req.raw.body !== null;
  if (refused) throw new ApiError(415, "unsupported_media_type", "Send the request body as JSON (Content-Type: application/json).");
}

/** What the validator reads of the signed-in person (loadSession sets it before any route's validator runs). */
const SignedIn = z.object({ locale: z.string() });

/** The asker's language: a signed-in person's own (their account's, as their emails say), else their browser's. */
function askerLanguage(c: Context) {
  const user = SignedIn.safeParse(c.get("user"));
  return languageOf(user.success ? user.data.locale : negotiateLocale(acceptLanguageTags(c.req.header("Accept-Language"))));
}

/**
 * `zValidator` that answers every failure with the 400 `invalid_request` envelope and the zod issues,
 * so handlers only ever see parsed, typed input. The issues are said in the asker's language: a refused value
 * is parsed once more with that language's words (the first parse speaks English; refusals are rare).
 */
export const validate = <T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) => {
  const validator = zValidator(target, schema, async (result, c) => {
    if (!result.success) {
      const language = askerLanguage(c);
      const said = language === "en" ? result : await schema.safeParseAsync(result.data, { error: humanErrorIn(language) });
      const issues = said.success ? result.error.issues : said.error.issues;
      throw new ApiError(400, "invalid_request", `The request ${target} is not valid.`, toIssues(issues));
    }
  });
  if (target !== "json") return validator;
  const jsonOnly: typeof validator = async (c, next) => {
    assertJsonBody(c);
    return validator(c, next);
  };
  return jsonOnly;
};
