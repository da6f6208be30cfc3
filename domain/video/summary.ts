import { formatInZone } from "../notifications/messages";

/**
 * The notice a student gets when their tutor writes the session's summary (inbox and email), with the session's
 * time in the student's zone.
 */
export function renderSummaryNotice(t: { subject: string; start: string; tutorName: string; summary: string; homework: string }, zone: string): { title: string; body: string } {
  const homework = t.homework.trim() ? `\n\nHomework:\n${t.homework.trim()}` : "";
  return {
    title: `Summary of your ${t.subject} session with ${t.tutorName}`,
    body: `${t.tutorName} wrote a summary of your ${t.subject} session of ${formatInZone(t.start, zone)}.\n\n${t.summary.trim()}${homework}\n\nThe notes and whiteboard pages are in My sessions.`,
  };
}
