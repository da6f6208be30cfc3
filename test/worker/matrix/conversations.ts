import { expect, vi } from "vitest";
import { type Persona, STUDENTS, TUTORS, userOf } from "../scene";
import { type Row, admins, only, theirs } from "../surface";

const talkers: Persona[] = [...STUDENTS, ...TUTORS];
/** The conversation of `student` with `tutor`: theirs alone; admins read it only through a report. */
const theirConversation = theirs(["student", "tutor"], { admin: 403 });

/** Messaging between a student and a tutor, and the admins' view of reported conversations. */
export const conversationRows: Record<string, Row> = {
  "GET /api/conversations": {
    who: only(talkers),
    effect: ({ s, p, res }) => {
      const ids = (res.json.conversations as { id: string }[]).map((c) => c.id);
      if (p === "student" || p === "tutor") expect(ids).toContain(s.ids.conversation);
      else expect(ids).not.toContain(s.ids.conversation);
    },
  },
  // Students write to an approved tutor; a tutor only to a student who booked them (`classmate` never booked the others).
  // Nobody writes before their address is confirmed.
  "POST /api/conversations": {
    who: { ...only(talkers), otherTutor: "403:forbidden", unapprovedTutor: "403:forbidden", unverified: "403:email_unverified" },
    request: (s, p) => ({ body: STUDENTS.includes(p) ? { tutorId: s.users.tutor.id } : { studentId: p === "tutor" ? s.users.student.id : s.users.classmate.id } }),
    effect: ({ s, p, res }) => {
      expect(res.json.conversation.id).toEqual(expect.any(String));
      if (p === "student" || p === "tutor") expect(res.json.conversation.id).toBe(s.ids.conversation);
      else expect(res.json.conversation.id).not.toBe(s.ids.conversation);
    },
  },
  "GET /api/conversations/:id/messages": {
    who: theirConversation,
    effect: ({ res }) => expect((res.json.messages as { text: string }[]).map((m) => m.text)).toContain("hello"),
  },
  "POST /api/conversations/:id/messages": {
    who: { ...theirConversation, unverified: "403:email_unverified" },
    request: (_, p) => ({ body: { text: `matrix from ${p}` } }),
    effect: async ({ s, p, res }) => {
      expect(res.json.message).toMatchObject({ text: `matrix from ${p}`, senderId: userOf(s, p).id });
      const seen = (await s.people.tutor.get(`/api/conversations/${s.ids.conversation}/messages`)).json.messages as { text: string }[];
      expect(seen.map((m) => m.text)).toContain(`matrix from ${p}`);
    },
  },
  "POST /api/conversations/:id/read": {
    who: theirConversation,
    // The object answers at once; the list (a projection written after the answer) catches up.
    effect: async ({ s, p, res, client }) => {
      expect(res.json.conversation).toMatchObject({ id: s.ids.conversation, unread: 0 });
      await vi.waitFor(async () => {
        const mine = ((await client.get("/api/conversations")).json.conversations as { id: string; unread: number }[]).find((c) => c.id === s.ids.conversation);
        expect(mine?.unread, p).toBe(0);
      }, { timeout: 10_000 });
    },
  },
  // Unblocking (the default body would block): the conversation stays usable for the rows after.
  "POST /api/conversations/:id/block": {
    who: theirConversation,
    request: () => ({ body: { blocked: false } }),
    effect: ({ s, res }) => expect(res.json.conversation.id).toBe(s.ids.conversation),
  },
  "POST /api/conversations/:id/report": {
    who: theirConversation,
    request: () => ({ body: { reason: "spam" } }),
    effect: ({ res }) => expect(res.json.report).toMatchObject({ status: "open" }),
  },
  "GET /api/admin/conversations/reports": {
    who: admins(),
    effect: ({ s, res }) => expect((res.json.reports as { id: string }[]).map((r) => r.id)).toContain(s.ids.report),
  },
  "GET /api/admin/conversations/:id/messages": {
    who: admins(),
    effect: ({ res }) => expect((res.json.messages as { text: string }[]).map((m) => m.text)).toContain("hello"),
  },
  "POST /api/admin/conversations/reports/:id/resolve": {
    who: admins(),
    late: true,
    request: () => ({ body: { resolution: "dismissed" } }),
    effect: ({ s, res }) => expect(res.json.report).toMatchObject({ id: s.ids.report, status: "dismissed" }),
  },
};
