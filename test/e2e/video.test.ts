import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { bookFirstHour, contextIn, logIn, moveToNow, tutorId } from "./helpers";
import { groupStartingNow as openGroup, passDeviceCheck as check, remoteVideoPlaying, sessionStartingNow as startNow, signedIn } from "./room";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const sessionStartingNow = (page: Page, tutor: string) => startNow(page, server.url, tutor);
const groupStartingNow = (tutorPage: Page, tutor: string, students: Page[]) => openGroup(tutorPage, server.url, tutor, students);
const passDeviceCheck = (page: Page, bookingId: string) => check(page, server.url, bookingId);

describe("a video session on the local provider", () => {
  it("the tutor and the student see and hear each other and chat; an outsider is refused; the tutor ends it", async () => {
    const anish = await tutorId(server.url, "Anish Shrestha");
    const tutorContext = await contextIn(browser, "Asia/Kathmandu");
    const studentContext = await contextIn(browser, "America/Chicago");
    const tutor = await logIn(tutorContext, server.url, "anish@tutorly.dev");
    const student = await logIn(studentContext, server.url, "maya@tutorly.dev");
    const bookingId = await sessionStartingNow(student, anish);
    const scripts: string[] = [];
    student.on("request", (r) => r.resourceType() === "script" && scripts.push(new URL(r.url()).pathname));

    await passDeviceCheck(student, bookingId);
    await student.getByRole("timer").getByText(/left$/).waitFor();
    await shot(student, "room-device-check");
    await passDeviceCheck(tutor, bookingId);

    await student.getByRole("button", { name: "Join session" }).click();
    await student.getByText("Waiting for your tutor to join…").waitFor();
    await tutor.getByRole("button", { name: "Join session" }).click();

    // Each one receives the other's live video…
    for (const page of [tutor, student]) {
      await page.getByTestId("room-status").getByText("Connected").waitFor();
      await remoteVideoPlaying(page);
    }
    const sizes = await Promise.all(
      [tutor, student].map((p) => p.locator(".tile[data-remote] video").evaluate((v: HTMLVideoElement) => ({ w: v.videoWidth, h: v.videoHeight, muted: v.muted }))),
    );
    for (const s of sizes) {
      expect(s.w).toBeGreaterThan(0);
      expect(s.h).toBeGreaterThan(0);
      expect(s.muted).toBe(false);
    }
    // The local provider never loads the RealtimeKit SDK (its chunk is fetched only for that provider).
    expect(scripts.some((p) => p.includes("/assets/SessionRoom-"))).toBe(true);
    expect(scripts.filter((p) => /realtimekit|index\.es-/.test(p))).toEqual([]);
    // …and hears them: the fake microphone's beeps arrive and move the remote tile's level meter.
    // (Audio analysis is the slowest part on a busy machine: give it room.)
    await tutor.locator('.tile[data-remote][data-audio="heard"]').waitFor({ timeout: 60_000 });
    await student.locator('.tile[data-remote][data-audio="heard"]').waitFor({ timeout: 60_000 });
    await tutor.locator(".tile[data-remote]").getByText("Maya").waitFor();
    await student.locator(".tile[data-remote]").getByText("Anish Shrestha").waitFor();

    // A chat message crosses the room socket.
    await student.getByRole("textbox", { name: "Message" }).fill("Hi Anish, can you hear me?");
    await student.getByRole("button", { name: "Send" }).click();
    await tutor.locator(".chat-list").getByText("Hi Anish, can you hear me?").waitFor();
    await tutor.getByRole("textbox", { name: "Message" }).fill("Loud and clear!");
    await tutor.keyboard.press("Enter");
    await student.locator(".chat-list").getByText("Loud and clear!").waitFor();

    // Sharing the screen replaces the camera for the others, and stopping brings the camera back.
    await student.getByRole("button", { name: "Share screen" }).click();
    await tutor.locator(".tile[data-remote]").getByText("Sharing screen").waitFor();
    await remoteVideoPlaying(tutor);
    await student.getByRole("button", { name: "Stop sharing" }).click();
    await tutor.locator(".tile[data-remote]").getByText("Sharing screen").waitFor({ state: "detached" });

    // Muting shows on the other side.
    await student.getByRole("button", { name: "Mute" }).click();
    await tutor.locator(".tile[data-remote]").getByText("Muted").waitFor();
    await shot(tutor, "room-tutor");
    await student.setViewportSize({ width: 390, height: 844 });
    await remoteVideoPlaying(student);
    await shot(student, "room-student-phone");

    // Coming back after a reload reconnects both ways, and the chat so far is still there.
    await passDeviceCheck(student, bookingId);
    await student.getByRole("button", { name: "Join session" }).click();
    await student.locator(".chat-list").getByText("Loud and clear!").waitFor();
    await remoteVideoPlaying(student);
    await tutor.locator(".tile[data-remote]").getByText("Muted").waitFor({ state: "detached" });
    await remoteVideoPlaying(tutor);
    expect(await tutor.locator(".tile[data-remote]").count()).toBe(1);

    // A third signed-in user is refused by the room before any device check (say-no-first.test.ts checks that no
    // camera is asked for), and by the join route.
    const leoContext = await contextIn(browser, "Europe/Rome");
    const leo = await logIn(leoContext, server.url, "leo@tutorly.dev");
    await leo.goto(`${server.url}/sessions/${bookingId}/room`);
    await leo.getByRole("heading", { name: "You can't join this session" }).waitFor();
    await shot(leo, "room-refused");
    const direct = await leo.request.post(`${server.url}/api/bookings/${bookingId}/join`);
    expect(direct.status()).toBe(403);
    expect(((await direct.json()) as { error: { code: string } }).error.code).toBe("not_a_participant");
    expect(await tutor.locator(".tile[data-remote]").count()).toBe(1);
    await leoContext.close();

    // The tutor ends the session: both leave the room and it is completed.
    await tutor.getByRole("button", { name: "End session" }).click();
    const confirm = tutor.getByRole("dialog", { name: "End the session for everyone?" });
    await confirm.getByRole("button", { name: "End session" }).click();
    await tutor.getByText("You ended the session. It's marked as completed.").waitFor();
    await student.getByText("Your tutor ended the session.").waitFor();
    await shot(student, "room-ended");
    const mine = (await (await tutor.request.get(`${server.url}/api/bookings`)).json()) as { bookings: { id: string; status: string }[] };
    expect(mine.bookings.find((b) => b.id === bookingId)?.status).toBe("completed");
    // Completed: My sessions no longer offers a way into the room.
    await student.goto(`${server.url}/sessions`);
    await student.locator(`li.session[data-booking="${bookingId}"][data-status="completed"]`).waitFor();
    expect(await student.locator(`li.session[data-booking="${bookingId}"] [data-join]`).count()).toBe(0);
    const attendance = (await (await tutor.request.get(`${server.url}/api/bookings/${bookingId}/attendance`)).json()) as {
      attendance: { decided: boolean; noShows: string[]; attendees: { name: string; status: string }[] };
    };
    expect(attendance.attendance).toMatchObject({ decided: true, noShows: [] });
    expect(attendance.attendance.attendees.map((a) => [a.name, a.status])).toEqual([
      ["Anish Shrestha", "attended"],
      [expect.stringMatching(/^Maya/), "attended"],
    ]);
    await tutorContext.close();
    await studentContext.close();
  });

  it("in a group session of a tutor and two students, everyone sees both others (a mesh)", async () => {
    const sophie = await tutorId(server.url, "Sophie Martin");
    const {
      contexts,
      pages: [tutor, leo, aiko],
    } = await signedIn(browser, server.url, [
      ["sophie@tutorly.dev", "Europe/Paris"],
      ["leo@tutorly.dev", "Europe/Rome"],
      ["aiko@tutorly.dev", "Asia/Tokyo"],
    ]);
    const bookingId = await groupStartingNow(tutor, sophie, [leo, aiko]);
    for (const page of [tutor, leo, aiko]) {
      await passDeviceCheck(page, bookingId);
      await page.getByRole("button", { name: "Join session" }).click();
      await page.getByTestId("room-status").getByText("Connected").waitFor();
    }
    for (const page of [tutor, leo, aiko]) {
      await page.getByText("3 in the room").waitFor();
      await remoteVideoPlaying(page, 2);
    }
    await shot(aiko, "room-group");
    // One student leaves; the others see two tiles become one.
    await leo.getByRole("button", { name: "Leave" }).click();
    await leo.getByText("You left the session").waitFor();
    for (const page of [tutor, aiko]) await page.getByText("2 in the room").waitFor();
    expect(await aiko.locator(".tile[data-remote]").count()).toBe(1);
    for (const c of contexts) await c.close();
  });
});

describe("the way into the room", () => {
  it("a room opened days ahead says so in days, with the session's day: not a clock of fifty-odd hours", async () => {
    const olivia = await tutorId(server.url, "Olivia Bennett");
    const context = await contextIn(browser, "America/Chicago");
    const student = await logIn(context, server.url, "maya@tutorly.dev");
    const range = new URLSearchParams({ from: new Date(Date.now() + 50 * HOUR).toISOString(), to: new Date(Date.now() + 14 * 24 * HOUR).toISOString(), duration: "60" });
    const { slots } = (await (await student.request.get(`${server.url}/api/tutors/${olivia}/slots?${range}`)).json()) as { slots: { start: string }[] };
    const booked = await student.request.post(`${server.url}/api/bookings`, { data: { tutorId: olivia, start: slots[0]!.start, durationMinutes: 60, subject: "mathematics" } });
    expect(booked.status()).toBe(201);
    const { booking } = (await booked.json()) as { booking: { id: string; start: string } };

    await student.goto(`${server.url}/sessions/${booking.id}/room`);
    await student.getByRole("heading", { name: "Check your camera and microphone" }).waitFor();
    const timer = student.getByRole("timer");
    await expect.poll(() => timer.textContent()).toMatch(/^Starts in \d+ days?( \d+ h)?$/);
    const day = new Intl.DateTimeFormat("en-US", { timeZone: "America/Chicago", weekday: "short", month: "short", day: "numeric" }).format(Date.parse(booking.start));
    await student.getByText(new RegExp(`^${day}, .+ · times in America/Chicago`)).waitFor();
    await student.getByText(new RegExp(`^The room opens at ${day}, `)).waitFor();
    await shot(student, "room-days-ahead");
    expect((await student.request.post(`${server.url}/api/bookings/${booking.id}/cancel`, { data: {} })).status()).toBe(200);
    await context.close();
  });

  it("a session its tutor moves while the student waits in its room takes them out, saying when it now is", async () => {
    const jonas = await tutorId(server.url, "Jonas Weber");
    const studentContext = await contextIn(browser, "Europe/Rome");
    const student = await logIn(studentContext, server.url, "leo@tutorly.dev");
    const tutor = await logIn(await contextIn(browser, "Europe/Berlin"), server.url, "jonas@tutorly.dev");
    const booking = await bookFirstHour(student, server.url, jonas);
    const soon = Date.now() + 5 * MINUTE;
    expect((await student.request.post(`${server.url}/api/dev/bookings/${booking.id}/move`, { data: { start: new Date(soon).toISOString(), end: new Date(soon + HOUR).toISOString() } })).status()).toBe(200);
    await passDeviceCheck(student, booking.id);
    await student.getByRole("button", { name: "Join session" }).click();
    await student.getByText("Waiting for your tutor to join…").waitFor();

    // The tutor moves it to a free hour at least two days on.
    const range = new URLSearchParams({ from: new Date(Date.now() + 48 * HOUR).toISOString(), to: new Date(Date.now() + 14 * 24 * HOUR).toISOString(), duration: "60" });
    const { slots } = (await (await tutor.request.get(`${server.url}/api/tutors/${jonas}/slots?${range}`)).json()) as { slots: { start: string }[] };
    let newStart: string | undefined;
    for (const slot of slots) {
      const moved = await tutor.request.post(`${server.url}/api/bookings/${booking.id}/reschedule`, { data: { start: slot.start } });
      if (moved.status() === 200) {
        newStart = slot.start;
        break;
      }
      expect(moved.status()).toBe(409); // the student is busy then: the next hour
    }
    expect(newStart).toBeDefined();

    const moved = student.getByTestId("room-moved");
    await moved.waitFor();
    const day = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Rome", weekday: "short", month: "short", day: "numeric" }).format(Date.parse(newStart!));
    expect(await moved.innerText()).toContain(`This session was moved to ${day}, `);
    // The page's heading shows the new times too (no countdown to the old start is left running).
    await student.getByText(new RegExp(`^${day}, .+ · times in Europe/Rome`)).waitFor();
    expect(await student.getByRole("timer").count()).toBe(0);
    expect(await student.getByRole("textbox", { name: "Message" }).count()).toBe(0); // no chat left to type into
    await shot(student, "room-session-moved");
    await moved.getByRole("link", { name: "See the session" }).click();
    await student.waitForURL(`${server.url}/sessions/${booking.id}`);
    await student.getByRole("heading", { level: 1, name: /with Jonas Weber$/ }).waitFor();
    expect((await student.request.post(`${server.url}/api/bookings/${booking.id}/cancel`, { data: {} })).status()).toBe(200);
    await studentContext.close();
  });

  it("My sessions says when the room opens; once the session is moved to now, Join opens the device check for the student and, from the dashboard, the tutor", async () => {
    const olivia = await tutorId(server.url, "Olivia Bennett");
    const studentContext = await contextIn(browser, "Asia/Tokyo");
    const tutorContext = await contextIn(browser, "America/New_York");
    const student = await logIn(studentContext, server.url, "aiko@tutorly.dev");
    const tutor = await logIn(tutorContext, server.url, "olivia@tutorly.dev");
    const booking = await bookFirstHour(student, server.url, olivia);
    const item = (page: Page) => page.locator(`li.session[data-booking="${booking.id}"]`);
    const oneSpace = (s: string | null) => (s ?? "").replace(/\s+/g, " ").trim();

    // Ahead of time: no link, but when the room opens (10 minutes before the start), in the student's zone.
    await student.goto(`${server.url}/sessions`);
    const later = item(student).locator('[data-join="before"]');
    await later.waitFor();
    const opensAt = new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Tokyo", hour: "numeric", minute: "2-digit" }).format(Date.parse(booking.start) - 10 * MINUTE);
    expect(oneSpace(await later.textContent())).toMatch(new RegExp(`^Join opens at (.+, )?${oneSpace(opensAt)}$`));
    expect(await item(student).getByRole("link", { name: /^Join/ }).count()).toBe(0);

    await moveToNow(student, server.url, booking.id);
    await student.reload();
    const join = item(student).getByRole("link", { name: /^Join / });
    await join.waitFor();
    await shot(student, "sessions-join-open");
    await join.click();
    await student.waitForURL(`${server.url}/sessions/${booking.id}/room`);
    await student.getByRole("heading", { name: "Check your camera and microphone" }).waitFor();

    await tutor.goto(`${server.url}/dashboard`);
    await item(tutor).getByRole("link", { name: /^Join / }).click();
    await tutor.waitForURL(`${server.url}/sessions/${booking.id}/room`);
    await tutor.getByRole("heading", { name: "Check your camera and microphone" }).waitFor();
    await studentContext.close();
    await tutorContext.close();
  });
});
