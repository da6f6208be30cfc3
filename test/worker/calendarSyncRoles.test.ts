import { beforeAll, describe, expect, it } from "vitest";
import { Client, adminClient, approvedTutor, signup } from "./helpers";

type Who = "anonymous" | "student" | "tutor" | "admin";
const clients = {} as Record<Who, Client>;

beforeAll(async () => {
  clients.anonymous = new Client();
  clients.student = (await signup("student")).client;
  clients.tutor = (await approvedTutor()).client;
  clients.admin = await adminClient();
});

/** Every calendar-sync route and who may use it; anything else gets 401 (signed out) or 403. */
const ROUTES: [method: string, path: string, body: unknown, allowed: Who[]][] = [
  ["GET", "/api/tutors/me/calendar-feed", undefined, ["tutor"]],
  ["POST", "/api/tutors/me/calendar-feed/rotate", {}, ["tutor"]],
  ["GET", "/api/me/calendar-feed", undefined, ["student", "tutor"]],
  ["POST", "/api/me/calendar-feed/rotate", {}, ["student", "tutor"]],
  ["GET", "/api/tutors/me/calendly", undefined, ["tutor"]],
  ["DELETE", "/api/tutors/me/calendly", undefined, ["tutor"]],
  ["GET", "/api/tutors/me/calendar-conflicts", undefined, ["tutor"]],
  ["GET", "/api/tutors/me/external-calendars", undefined, ["tutor"]],
  ["POST", "/api/tutors/me/external-calendars", { url: "http://not-allowed.example/x.ics" }, ["tutor"]],
];

describe("calendar sync routes by role", () => {
  for (const [method, path, body, allowed] of ROUTES) {
    it.each(["anonymous", "student", "tutor", "admin"] as Who[])(`${method} ${path} as %s`, async (who) => {
      const res = await clients[who].request(method, path, body as never);
      if (allowed.includes(who)) expect(res.status, res.text).toBeLessThan(500);
      if (allowed.includes(who)) expect([401, 403]).not.toContain(res.status);
      else expect(res.status).toBe(who === "anonymous" ? 401 : 403);
    });
  }

  it("a tutor cannot dismiss, sync or remove what belongs to another tutor", async () => {
    const other = await approvedTutor();
    expect((await other.client.post("/api/tutors/me/calendar-conflicts/not-mine/dismiss")).status).toBe(404);
    expect((await other.client.post("/api/tutors/me/external-calendars/not-mine/sync")).status).toBe(404);
    expect((await other.client.request("DELETE", "/api/tutors/me/external-calendars/not-mine")).status).toBe(404);
  });
});
