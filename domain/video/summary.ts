import { subjectLabel } from "../format/subject";
import { languageOf } from "../i18n/locales";
import { serverText } from "../i18n/server";
import { formatInZone } from "../notifications/messages";

/**
 * The notice a student gets when their tutor writes the session's summary (inbox and email), with the session's
 * time in the student's zone, in their language.
 */
export function renderSummaryNotice(
  t: { subject: string; start: string; tutorName: string; summary: string; homework: string },
  zone: string,
  locale?: string,
): { title: string; body: string } {
  const s = serverText(locale);
  // English keeps the subject as stored ("your mathematics session"); other languages name it in their words.
  const subject = languageOf(locale) === "en" ? t.subject : subjectLabel(t.subject, locale);
  const homework = t.homework.trim() ? `\n\n${s("notice.summary.homework")}\n${t.homework.trim()}` : "";
  return {
    title: s("notice.summary.title", { subject, tutor: t.tutorName }),
    body: `${s("notice.summary.body", { tutor: t.tutorName, subject, at: formatInZone(t.start, zone, locale) })}\n\n${t.summary.trim()}${homework}\n\n${s("notice.summary.where")}`,
  };
}
