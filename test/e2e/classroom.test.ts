import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { chooseLanguageOnAccount, contextIn, logIn, signUpVerified, tutorId } from "./helpers";
import { enterRoom, groupStartingNow, passDeviceCheck, remoteVideoAdvancing, remoteVideoPlaying, sessionStartingNow, signedIn } from "./room";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

/** Deadline for something to cross the room locally: generous (the machine is shared); the figure is printed. */
const ARRIVES_WITHIN = 15_000;
const now = (page: Page) => page.evaluate(() => performance.timeOrigin + performance.now());

/** Runs in the page before the app: keeps every RTCPeerConnection it makes, so a test can look at their ICE. */
function keepPeerConnections() {
  const Native = window.RTCPeerConnection;
  const made: RTCPeerConnection[] = [];
  (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections = made;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      made.push(this);
    }
  };
}
/** The page's open peer connections: which one (in order made), its state and its local ICE username fragment. */
const iceOf = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections
      .map((pc, index) => ({ index, state: pc.connectionState, ufrag: /a=ice-ufrag:(\S+)/.exec(pc.localDescription?.sdp ?? "")?.[1] ?? null }))
      .filter((pc) => pc.state !== "closed"),
  );

/** Draws a pen stroke (or drags a shape) across the board, from and to fractions of its size. */
async function drag(page: Page, from: [number, number], to: [number, number], steps = 12) {
  const box = (await page.locator(".wb-canvas").boundingBox())!;
  const at = (f: [number, number]) => [box.x + f[0] * box.width, box.y + f[1] * box.height] as const;
  await page.mouse.move(...at(from));
  await page.mouse.down();
  for (let i = 1; i <= steps; i++) await page.mouse.move(...at([from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps]));
  await page.mouse.up();
}

const items = (page: Page) => page.locator(".wb-canvas [data-item]");
const tool = (page: Page, name: string) => page.getByRole("toolbar", { name: "Whiteboard tools" }).getByRole("button", { name, exact: true });

/**
 * Runs in a participant's page: opens a room socket of its own and adds strokes to the board's last page, one at a
 * time (ids from `prefix`), until the room refuses even the smallest (the drawer's share or the board's size limit); resolves
 * with how many it took.
 */
async function fillBoard({ bookingId, prefix }: { bookingId: string; prefix: string }): Promise<number> {
  const res = await fetch(`/api/bookings/${bookingId}/join`, { method: "POST" });
  const { room } = await res.json();
  const ws = new WebSocket(`${location.origin.replace(/^http/, "ws")}${room.path}?ticket=${encodeURIComponent(room.ticket)}`);
  // Long strokes first, then shorter ones into the space left, down to a single point.
  const lengths = [2_000, 200, 2];
  const points = Array.from({ length: 2_000 }, (_, k) => 1_000 + (k % 600));
  return new Promise((resolve, reject) => {
    let page = "";
    let added = 0;
    let sent = 0;
    let size = 0;
    const next = () => ws.send(JSON.stringify({ type: "wb.add", item: { kind: "stroke", id: `${prefix}-${sent++}`, page, color: "#1f2937", width: 2, points: points.slice(0, lengths[size]) } }));
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.type === "wb.state" && m.last) {
        page = m.pages.at(-1).id;
        next();
      } else if (m.type === "wb.added" && m.item.id.startsWith(`${prefix}-`)) {
        added++;
        next();
      } else if (m.type === "error") {
        if (++size < lengths.length) return next();
        ws.onclose = null;
        ws.close();
        resolve(added);
      }
    };
    ws.onclose = () => reject(new Error(`room socket closed after ${added} strokes`));
  });
}

/**
 * Watches the board of `page` for what arrives, with when it did (epoch ms): a stroke's live draft (streamed while
 * it is drawn) and finished items. Times are taken inside the pages, so the test's own round trips do not count.
 */
async function watch(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { arrivals: Record<string, number> };
    w.arrivals = {};
    new MutationObserver((records) => {
      for (const r of records) r.addedNodes.forEach((n) => {
        if (!(n instanceof SVGElement)) return;
        const key = n.dataset.item ? `item:${n.dataset.item}` : n.dataset.live ? `live:${n.dataset.live}` : null;
        if (key) w.arrivals[key] ??= performance.timeOrigin + performance.now();
      });
    }).observe(document.querySelector(".wb-canvas")!, { childList: true });
  });
}
/** When the first finished item (or with `"live"`, stroke draft) that came after `since` appeared on `page`. */
const arrival = (page: Page, since: number, kind: "item" | "live" = "item"): Promise<number> =>
  page
    .waitForFunction(
      ([t, k]) => Object.entries((window as unknown as { arrivals: Record<string, number> }).arrivals).find(([key, at]) => key.startsWith(`${k}:`) && at >= t)?.[1] ?? null,
      [since, kind] as const,
      { timeout: ARRIVES_WITHIN },
    )
    .then(async (h) => (await h.jsonValue()) ?? 0);
/** Notes, inside `page`, when the pen last went down and up on its board (epoch ms). */
const penTimes = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { pen: { down: number; up: number } };
    w.pen = { down: 0, up: 0 };
    const board = document.querySelector(".wb-canvas")!;
    board.addEventListener("pointerdown", () => (w.pen.down = performance.timeOrigin + performance.now()), { capture: true });
    board.addEventListener("pointerup", () => (w.pen.up = performance.timeOrigin + performance.now()), { capture: true });
  });
const pen = (page: Page) => page.evaluate(() => (window as unknown as { pen: { down: number; up: number } }).pen);

describe("the classroom", () => {
  it("a whiteboard and shared notes between a tutor and two students: edits cross the room, a latecomer sees everything, pages export as PNG", async () => {
    const sophie = await tutorId(server.url, "Sophie Martin");
    const {
      contexts,
      pages: [tutor, leo, aiko],
    } = await signedIn(browser, server.url, [
      ["sophie@tutorly.dev", "Europe/Paris"],
      ["leo@tutorly.dev", "Europe/Rome"],
      ["aiko@tutorly.dev", "Asia/Tokyo"],
    ]);
    const bookingId = await groupStartingNow(tutor, server.url, sophie, [leo, aiko]);
    for (const page of [tutor, leo]) {
      await enterRoom(page, server.url, bookingId);
      await page.getByRole("tab", { name: "Whiteboard" }).click();
      await page.locator('.wb-canvas[data-loaded="true"]').waitFor();
    }
    // On a laptop's 1280×800 the board fits above the call controls: nobody scrolls to find Mute or Leave.
    await tutor.setViewportSize({ width: 1280, height: 800 });
    await tutor.evaluate(() => window.scrollTo(0, 0));
    const controls = (await tutor.locator(".room-controls").boundingBox())!;
    expect(controls.y + controls.height, "the call controls' bottom edge, in a 800 px high window").toBeLessThanOrEqual(800);
    const board = (await tutor.locator(".wb-canvas").boundingBox())!;
    expect(board.y + board.height, "the board ends above the controls (not under them)").toBeLessThanOrEqual(controls.y);
    expect(board.width, "the board stays a usable size").toBeGreaterThan(560);
    await watch(leo);
    await penTimes(tutor);
    const figures: string[] = [];

    // A pen stroke by the tutor appears on the student's board: streamed while drawn, then finished.
    const t0 = await now(tutor);
    await drag(tutor, [0.1, 0.2], [0.4, 0.35]);
    const drawn = await pen(tutor);
    const [draftAt, finishedAt] = await Promise.all([arrival(leo, t0, "live"), arrival(leo, t0)]);
    figures.push(`stroke: seen drawing ${Math.round(draftAt - drawn.down)} ms after the pen went down, finished ${Math.round(finishedAt - drawn.up)} ms after pen up`);
    await expect.poll(() => items(leo).count(), { timeout: ARRIVES_WITHIN }).toBe(1);

    // A rectangle, an arrow and text.
    await tool(tutor, "Rectangle").click();
    await drag(tutor, [0.55, 0.2], [0.8, 0.45], 4);
    await tool(tutor, "Arrow").click();
    await drag(tutor, [0.1, 0.7], [0.35, 0.6], 4);
    await tool(tutor, "Text").click();
    const box = (await tutor.locator(".wb-canvas").boundingBox())!;
    await tutor.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.8);
    await tutor.getByLabel("Text on the whiteboard").fill("x² + 2x + 1 = (x + 1)²");
    await tutor.keyboard.press("Enter");
    await leo.locator(".wb-canvas text").getByText("x² + 2x + 1 = (x + 1)²").waitFor({ timeout: ARRIVES_WITHIN });
    await expect.poll(() => items(leo).count(), { timeout: ARRIVES_WITHIN }).toBe(4);

    // The student erases the rectangle; their undo brings it back for everyone.
    await tool(leo, "Eraser").click();
    await drag(leo, [0.55, 0.3], [0.57, 0.3], 3);
    await expect.poll(() => items(tutor).count(), { timeout: ARRIVES_WITHIN }).toBe(3);
    await leo.getByRole("button", { name: "Undo" }).click();
    await expect.poll(() => items(tutor).count(), { timeout: ARRIVES_WITHIN }).toBe(4);
    await tutor.locator(".wb-canvas rect[stroke]").waitFor();

    // A second page.
    await tutor.getByRole("button", { name: "New page" }).click();
    await leo.getByTestId("wb-page").getByText("Page 1 of 2").waitFor({ timeout: ARRIVES_WITHIN });
    await shot(tutor, "classroom-whiteboard");

    // Shared notes: the tutor starts them; then both type at once in different places, and nobody's words are lost.
    for (const page of [tutor, leo]) await page.getByRole("tab", { name: "Notes" }).click();
    const tutorNotes = tutor.getByRole("textbox", { name: "Shared notes" });
    const leoNotes = leo.getByRole("textbox", { name: "Shared notes" });
    await tutorNotes.click();
    await tutor.evaluate(() => {
      const w = window as unknown as { typedAt: number };
      document.querySelector("#notes-text")!.addEventListener("input", () => (w.typedAt = performance.timeOrigin + performance.now()));
    });
    await tutorNotes.pressSequentially("Quadratics: factor, then check.", { delay: 10 });
    // Checked every frame inside the student's page, which answers when the whole text was there.
    const notesAt = await leo
      .waitForFunction(() => (document.querySelector<HTMLTextAreaElement>("#notes-text")?.value === "Quadratics: factor, then check." ? performance.timeOrigin + performance.now() : null), null, { timeout: ARRIVES_WITHIN, polling: "raf" })
      .then((h) => h.jsonValue());
    const typedAt = await tutor.evaluate(() => (window as unknown as { typedAt: number }).typedAt);
    figures.push(`notes: on the other pad ${Math.round(notesAt! - typedAt)} ms after the last keystroke (to the next frame)`);
    await leoNotes.click();
    await leo.keyboard.press("Control+Home");
    await tutor.keyboard.press("Control+End");
    await Promise.all([tutorNotes.pressSequentially(" Homework: page 12.", { delay: 20 }), leoNotes.pressSequentially("Question about sign rules. ", { delay: 20 })]);
    await expect.poll(async () => (await tutorNotes.inputValue()) === (await leoNotes.inputValue()), { timeout: ARRIVES_WITHIN }).toBe(true);
    const notes = await tutorNotes.inputValue();
    expect(notes).toBe("Question about sign rules. Quadratics: factor, then check. Homework: page 12.");
    await leo.getByRole("radio", { name: "Markdown" }).check({ force: true });
    await expect.poll(() => tutor.getByRole("radio", { name: "Markdown" }).isChecked(), { timeout: ARRIVES_WITHIN }).toBe(true);

    // A latecomer gets the whole board and the notes.
    await enterRoom(aiko, server.url, bookingId);
    await aiko.getByRole("tab", { name: "Whiteboard" }).click();
    await expect.poll(() => items(aiko).count(), { timeout: ARRIVES_WITHIN }).toBe(4);
    await aiko.getByTestId("wb-page").getByText("Page 1 of 2").waitFor();
    await aiko.locator(".wb-canvas text").getByText("x² + 2x + 1 = (x + 1)²").waitFor();
    await aiko.getByRole("tab", { name: "Notes" }).click();
    expect(await aiko.getByRole("textbox", { name: "Shared notes" }).inputValue()).toBe(notes);
    await shot(aiko, "classroom-latecomer-notes");

    // The latecomer draws too; the others see it.
    await aiko.getByRole("tab", { name: "Whiteboard" }).click();
    await watch(tutor);
    await penTimes(aiko);
    const t1 = await now(aiko);
    await drag(aiko, [0.2, 0.5], [0.3, 0.55]);
    const finished2 = await arrival(tutor, t1);
    figures.push(`latecomer's stroke: finished on the tutor's board ${Math.round(finished2 - (await pen(aiko)).up)} ms after pen up`);
    await expect.poll(() => items(leo).count(), { timeout: ARRIVES_WITHIN }).toBe(5);

    // The page downloads as a PNG of the board's size.
    const [download] = await Promise.all([aiko.waitForEvent("download"), aiko.getByRole("button", { name: "Save page as PNG" }).click()]);
    expect(download.suggestedFilename()).toBe("whiteboard-page-1.png");
    const png = readFileSync(await download.path());
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1600, 1000]);

    await aiko.setViewportSize({ width: 390, height: 844 });
    await shot(aiko, "classroom-whiteboard-phone");

    // Leo fills his share of the class's board (on its last page, through his own room socket, which takes over his
    // tab): Aiko still draws. Then the tutor fills the rest (the same way): Aiko's next stroke is refused, leaves her
    // screen again and she is told why.
    await aiko.setViewportSize({ width: 1280, height: 800 });
    const onPageOne = await items(aiko).count();
    expect(await leo.evaluate(fillBoard, { bookingId, prefix: "leo" })).toBeGreaterThan(10);
    await drag(aiko, [0.4, 0.4], [0.5, 0.5]);
    await expect.poll(() => items(aiko).count(), { timeout: ARRIVES_WITHIN }).toBe(onPageOne + 1);
    expect(await tutor.evaluate(fillBoard, { bookingId, prefix: "tutor" })).toBeGreaterThan(10);
    await drag(aiko, [0.6, 0.6], [0.7, 0.7]);
    await aiko.getByText("The whiteboard is full for this session").waitFor({ timeout: ARRIVES_WITHIN });
    await expect.poll(() => items(aiko).count(), { timeout: ARRIVES_WITHIN }).toBe(onPageOne + 1);
    await shot(aiko, "classroom-whiteboard-full");
    console.log(`[classroom] ${figures.join("; ")}`);
    for (const c of contexts) await c.close();
  });

  it("a call survives a lost network: both sides show it reconnecting, and media flows again without a reload", async () => {
    const anish = await tutorId(server.url, "Anish Shrestha");
    const tutorContext = await contextIn(browser, "Asia/Kathmandu");
    const studentContext = await contextIn(browser, "America/Chicago");
    const tutor = await logIn(tutorContext, server.url, "anish@tutorly.dev");
    const student = await logIn(studentContext, server.url, "maya@tutorly.dev");
    const bookingId = await sessionStartingNow(student, server.url, anish);
    await studentContext.addInitScript(keepPeerConnections);
    await enterRoom(student, server.url, bookingId);
    await enterRoom(tutor, server.url, bookingId);
    for (const page of [tutor, student]) await remoteVideoPlaying(page);
    await student.getByRole("textbox", { name: "Message" }).fill("My train is going into a tunnel");
    await student.getByRole("button", { name: "Send" }).click();
    await tutor.locator(".chat-list").getByText("My train is going into a tunnel").waitFor();
    const before = await iceOf(student);
    expect(before).toHaveLength(1);

    // The student's network goes away (DevTools network emulation: offline).
    await studentContext.setOffline(true);
    await student.getByTestId("room-status").getByText("Reconnecting…").waitFor();
    await tutor.locator(".tile[data-remote]").getByText("Reconnecting…").waitFor({ timeout: 30_000 });
    await shot(tutor, "room-peer-reconnecting");
    await new Promise((r) => setTimeout(r, 3_000));

    // It comes back: the room rejoins on its own, the tiles recover, and both see live video again.
    await studentContext.setOffline(false);
    await student.getByTestId("room-status").getByText("Connected").waitFor({ timeout: 30_000 });
    await tutor.locator(".tile[data-remote]").getByText("Reconnecting…").waitFor({ state: "detached", timeout: 30_000 });
    for (const page of [tutor, student]) await remoteVideoAdvancing(page);
    expect(await tutor.locator(".tile[data-remote]").count()).toBe(1);
    expect(await student.locator(".tile[data-remote]").count()).toBe(1);
    // The same connection restarted its ICE (new credentials, so new candidates for a new network) and is up again.
    await expect.poll(async () => (await iceOf(student))[0]?.ufrag, { timeout: 30_000 }).not.toBe(before[0]!.ufrag);
    expect(await iceOf(student)).toEqual([expect.objectContaining({ index: before[0]!.index, state: "connected" })]);
    // Nothing was reloaded: the chat written before the drop is still on the page.
    await student.locator(".chat-list").getByText("My train is going into a tunnel").waitFor();
    await tutorContext.close();
    await studentContext.close();
  });

  it("the tutor's controls: who is speaking shows, the tutor mutes a student and removes another, who cannot come back", async () => {
    const olivia = await tutorId(server.url, "Olivia Bennett");
    const {
      contexts,
      pages: [tutor, leo, aiko],
    } = await signedIn(browser, server.url, [
      ["olivia@tutorly.dev", "America/New_York"],
      ["leo@tutorly.dev", "Europe/Rome"],
      ["aiko@tutorly.dev", "Asia/Tokyo"],
    ]);
    const bookingId = await groupStartingNow(tutor, server.url, olivia, [leo, aiko]);
    for (const page of [tutor, leo, aiko]) await enterRoom(page, server.url, bookingId);
    await tutor.getByText("3 in the room").waitFor();

    // The fake microphones beep: the room names who is speaking.
    await tutor.getByTestId("speaking").getByText(/Speaking: .*(Leo|Aiko)/).waitFor({ timeout: 60_000 });
    // Each one is named to themselves in their own language: Leo reads Spanish, and he is "tú", not "You".
    await chooseLanguageOnAccount(leo, "es");
    await leo.getByTestId("speaking").getByText(/Hablando: .*tú/).waitFor({ timeout: 60_000 });
    expect(await leo.getByTestId("speaking").textContent()).not.toContain("You");
    await chooseLanguageOnAccount(leo, "en");

    await tutor.getByRole("button", { name: /^Mute Leo/ }).click();
    await leo.getByText(/muted your microphone/).waitFor();
    await leo.getByRole("button", { name: "Unmute" }).waitFor();
    await tutor.locator(".tile[data-remote]", { hasText: "Leo" }).getByText("Muted").waitFor();
    await shot(leo, "room-muted-by-tutor");

    await tutor.getByRole("button", { name: /^Remove Aiko/ }).click();
    const confirm = tutor.getByRole("dialog", { name: /Remove Aiko/ });
    await confirm.getByRole("button", { name: "Remove" }).click();
    await aiko.getByRole("heading", { name: "You're no longer in this session" }).waitFor();
    await aiko.getByText("Your tutor removed you from this session.").waitFor();
    await tutor.getByText("2 in the room").waitFor();
    await expect.poll(() => leo.locator(".tile[data-remote]").count()).toBe(1);

    await passDeviceCheck(aiko, server.url, bookingId);
    await aiko.getByRole("button", { name: "Join session" }).click();
    await aiko.getByRole("heading", { name: "You can't join this session" }).waitFor();
    await aiko.getByText("You were removed from this session. You can't rejoin this session.").waitFor();

    // Leo's tab goes away: his tile stays a while in case he comes back, but Remove reaches nobody, and the tutor is told.
    await leo.close();
    await tutor.locator(".tile[data-remote]", { hasText: "Leo" }).getByText("Reconnecting…").waitFor({ timeout: 30_000 });
    await tutor.getByRole("button", { name: /^Remove Leo/ }).click();
    await tutor.getByRole("dialog", { name: /Remove Leo/ }).getByRole("button", { name: "Remove" }).click();
    await tutor.getByRole("status").getByText("That student isn't in the room right now").waitFor();
    await shot(tutor, "room-remove-not-in-room");
    for (const c of contexts) await c.close();
  });

  it("after the session the tutor writes a summary and homework; the student reads it in My sessions and by email, and downloads the notes and the board", async () => {
    const jonas = await tutorId(server.url, "Jonas Weber");
    const tutorContext = await contextIn(browser, "Europe/Berlin");
    const studentContext = await contextIn(browser, "America/Chicago");
    const tutor = await logIn(tutorContext, server.url, "jonas@tutorly.dev");
    const student = await logIn(studentContext, server.url, "maya@tutorly.dev");
    const bookingId = await sessionStartingNow(student, server.url, jonas);
    await enterRoom(tutor, server.url, bookingId);
    await enterRoom(student, server.url, bookingId);
    await tutor.getByRole("tab", { name: "Whiteboard" }).click();
    await drag(tutor, [0.2, 0.2], [0.6, 0.5]);
    await tutor.getByRole("tab", { name: "Notes" }).click();
    await tutor.getByRole("textbox", { name: "Shared notes" }).fill("Past simple: regular verbs take -ed.");
    await student.getByRole("tab", { name: "Notes" }).click();
    await expect.poll(() => student.getByRole("textbox", { name: "Shared notes" }).inputValue(), { timeout: ARRIVES_WITHIN }).toBe("Past simple: regular verbs take -ed.");

    await tutor.getByRole("button", { name: "End session" }).click();
    await tutor.getByRole("dialog", { name: "End the session for everyone?" }).getByRole("button", { name: "End session" }).click();
    await tutor.getByRole("heading", { name: "Summary for your students" }).waitFor();
    await tutor.getByRole("button", { name: "Send summary" }).click();
    await tutor.getByText("Write a few words about the session.").waitFor();
    await tutor.getByLabel("What you covered").fill("We practised the past simple with regular verbs.");
    await tutor.getByLabel("Homework (optional)").fill("Write five sentences about last weekend.");
    await tutor.getByRole("button", { name: "Send summary" }).click();
    await tutor.getByText(/Summary sent/).waitFor();
    await shot(tutor, "room-summary-sent");

    await student.goto(`${server.url}/sessions`);
    const row = student.locator(`li.session[data-booking="${bookingId}"]`);
    await row.getByText("We practised the past simple with regular verbs.").waitFor();
    await row.getByText("Write five sentences about last weekend.").waitFor();
    await shot(student, "sessions-summary");
    const [notes] = await Promise.all([student.waitForEvent("download"), row.getByRole("button", { name: "Download notes" }).click()]);
    expect(readFileSync((await notes.path())!, "utf8")).toBe("Past simple: regular verbs take -ed.");
    const [board] = await Promise.all([student.waitForEvent("download"), row.getByRole("button", { name: /Download whiteboard/ }).click()]);
    expect(board.suggestedFilename()).toMatch(/^whiteboard-.*-page-1\.png$/);
    expect(readFileSync((await board.path())!).subarray(1, 4).toString()).toBe("PNG");

    const mailbox = (await (await student.request.get(`${server.url}/api/dev/mailbox`)).json()) as { emails: { toEmail: string; subject: string; text: string }[] };
    const mail = mailbox.emails.find((m) => m.toEmail === "maya@tutorly.dev" && m.subject.startsWith("Summary of your"));
    expect(mail?.text).toContain("Homework:\nWrite five sentences about last weekend.");

    // The tutor can edit it later from their sessions.
    await tutor.goto(`${server.url}/sessions`);
    await tutor.locator(`li.session[data-booking="${bookingId}"]`).getByRole("button", { name: "Edit summary" }).waitFor();
    await tutorContext.close();
    await studentContext.close();
  });

  it("in a peer-to-peer group of five, every sender lowers its video (a mesh uploads a copy per peer)", async () => {
    const yuki = await tutorId(server.url, "Yuki Tanaka");
    // A fourth student: signed up with a confirmed email (required to book), given credits by an admin.
    const zoeCtx = await contextIn(browser, "Europe/London");
    const { id: zoeId } = await signUpVerified(zoeCtx, server.url, {
      email: `zoe-${Date.now()}@example.com`,
      password: "tutorly-demo-zoe",
      name: "Zoe Park",
      role: "student",
      timezone: "Europe/London",
    });
    const adminCtx = await contextIn(browser, "UTC");
    const admin = await logIn(adminCtx, server.url, "admin@tutorly.dev", "tutorly-admin");
    const granted = await admin.request.post(`${server.url}/api/admin/credits`, {
      data: { userId: zoeId, minutes: 120, reason: "group video test" },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(granted.status(), await granted.text()).toBe(201);
    await adminCtx.close();
    const zoe = await zoeCtx.newPage();

    const {
      contexts,
      pages: [tutor, maya, leo, aiko],
    } = await signedIn(browser, server.url, [
      ["yuki@tutorly.dev", "Asia/Tokyo"],
      ["maya@tutorly.dev", "America/Chicago"],
      ["leo@tutorly.dev", "Europe/Rome"],
      ["aiko@tutorly.dev", "Asia/Tokyo"],
    ]);
    const bookingId = await groupStartingNow(tutor, server.url, yuki, [maya, leo, aiko, zoe]);
    // The tutor's camera is the one measured; the students join with theirs off (five encoding browsers are
    // more than a shared test machine holds).
    const quiet = { camera: false, mic: false };
    await enterRoom(tutor, server.url, bookingId);
    for (const page of [maya, leo]) await enterRoom(page, server.url, bookingId, quiet);
    await tutor.getByText("3 in the room").waitFor();
    // Up to four, everyone sends at full quality.
    await enterRoom(aiko, server.url, bookingId, quiet);
    await tutor.getByText("4 in the room").waitFor();
    await remoteVideoPlaying(maya);
    expect(await tutor.getByTestId("sending").count()).toBe(0);

    await enterRoom(zoe, server.url, bookingId, quiet);
    for (const page of [tutor, maya, leo, aiko, zoe]) await page.getByTestId("sending").getByText("video sent at 360p, 15 fps for this group").waitFor({ timeout: 30_000 });
    // What arrives is within that: the fake camera captures 720p; a student receives at most 360 lines of it.
    await maya.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>(".tile[data-remote][data-user] video:not(.hidden)");
        return !!v && v.videoHeight > 0 && v.videoHeight <= 360;
      },
      null,
      { timeout: 60_000 },
    );
    await shot(maya, "room-group-of-five");
    // Someone leaves: four again, full quality again.
    await zoe.getByRole("button", { name: "Leave" }).click();
    await tutor.getByText("4 in the room").waitFor();
    await tutor.getByTestId("sending").waitFor({ state: "detached" });
    for (const c of [...contexts, zoeCtx]) await c.close();
  });
});
