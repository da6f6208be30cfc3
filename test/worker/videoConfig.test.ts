import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/index";
import { FAKE_REALTIME, type RecordedRealtimeRequest } from "../fakes/realtimekit";
import { Client, ORIGIN } from "./helpers";
import { bookedSession } from "./videoHelpers";

const NO_VIDEO = {
  VIDEO_PROVIDER: undefined,
  REALTIME_ACCOUNT_ID: undefined,
  REALTIME_APP_ID: undefined,
  REALTIME_API_TOKEN: undefined,
  REALTIME_TURN_KEY_ID: undefined,
  REALTIME_TURN_KEY_API_TOKEN: undefined,
};

/** A client of the Worker running with `overrides` on top of the test environment. */
function workerWith(overrides: Partial<Env>, cookie?: string): Client {
  const e = { ...env, ...overrides } as Env;
  const c = new Client(ORIGIN, (req) => app.fetch(req, e, createExecutionContext()) as Promise<Response>);
  c.cookie = cookie ?? "";
  return c;
}

const fakeBase = () => env.REALTIME_API_BASE!.replace(/\/client\/v4$/, "");
/** A TURN key of this test's own (the fake takes any key under its id), and the requests made with it. */
const ownTurnKey = () => `${FAKE_REALTIME.turnKeyId}-${crypto.randomUUID()}`;
const turnRequests = async (keyId: string) =>
  ((await (await fetch(`${fakeBase()}/__requests`)).json()) as RecordedRealtimeRequest[]).filter((r) => r.path.startsWith(`/v1/turn/keys/${keyId}/`));

describe("starting a deployed Worker", () => {
  it.each(["production", "staging"])("refuses to start in %s without a video configuration, naming what to set", async (environment) => {
    const res = await workerWith({ ...NO_VIDEO, ENVIRONMENT: environment }).get("/api/plans");
    expect(res.status).toBe(503);
    expect(res.json.error.code).toBe("misconfigured");
    for (const name of ["REALTIME_ACCOUNT_ID", "REALTIME_APP_ID", "REALTIME_API_TOKEN", "VIDEO_PROVIDER=p2p", "REALTIME_TURN_KEY_ID"]) expect(res.json.error.message).toContain(name);
  });

  it("refuses production when peer-to-peer is chosen without a TURN key (calls would only work inside one network)", async () => {
    const res = await workerWith({ ...NO_VIDEO, ENVIRONMENT: "production", VIDEO_PROVIDER: "p2p" }).get("/api/tutors");
    expect(res.status).toBe(503);
    expect(res.json.error.message).toContain("peer-to-peer video needs TURN");
    expect(res.json.error.message).not.toContain(FAKE_REALTIME.turnApiToken);
  });

  it("refuses production when RealtimeKit is half configured", async () => {
    const res = await workerWith({ ...NO_VIDEO, ENVIRONMENT: "production", REALTIME_ACCOUNT_ID: "acc", REALTIME_APP_ID: "app" }).get("/api/plans");
    expect(res.status).toBe(503);
    expect(res.json.error.message).toContain("set REALTIME_API_TOKEN");
  });

  it.each([
    ["RealtimeKit secrets", { REALTIME_ACCOUNT_ID: "acc", REALTIME_APP_ID: "app", REALTIME_API_TOKEN: "tok" }],
    ["peer-to-peer with a TURN key", { VIDEO_PROVIDER: "p2p", REALTIME_TURN_KEY_ID: "key", REALTIME_TURN_KEY_API_TOKEN: "tok" }],
  ])("starts in production with %s", async (_, settings) => {
    const res = await workerWith({ ...NO_VIDEO, ENVIRONMENT: "production", APP_URL: "https://tutorly.example", EMAIL_PROVIDER: "cloudflare", ...settings }).get("/api/plans");
    expect(res.status).toBe(200);
  });

  it("refuses to start without APP_URL, so mailed links never take their host from a request's Host header", async () => {
    const video = { REALTIME_ACCOUNT_ID: "acc", REALTIME_APP_ID: "app", REALTIME_API_TOKEN: "tok" };
    const res = await workerWith({ ...NO_VIDEO, ...video, ENVIRONMENT: "production", APP_URL: undefined }).post("/api/auth/password-reset/request", { email: "someone@example.com" });
    expect(res.status).toBe(503);
    expect(res.json.error.message).toContain("APP_URL");
  });

  it("starts locally without any video setting (peer-to-peer with host candidates)", async () => {
    const res = await workerWith({ ...NO_VIDEO, ENVIRONMENT: "development" }).get("/api/plans");
    expect(res.status).toBe(200);
  });
});

describe("joining a room while video is misconfigured locally", () => {
  it("answers 503 video_not_configured naming what is missing, instead of a call that cannot connect", async () => {
    const { student, bookingId } = await bookedSession();
    const res = await workerWith({ ...NO_VIDEO, VIDEO_PROVIDER: "realtimekit" }, student.client.cookie).post(`/api/bookings/${bookingId}/join`);
    expect(res.status).toBe(503);
    expect(res.json.error.code).toBe("video_not_configured");
    expect(res.json.error.message).toContain("REALTIME_API_TOKEN");
  });
});

describe("TURN for peer-to-peer", () => {
  it("gives each participant their own short-lived ICE servers, minted with the TURN key", async () => {
    const { tutor, student, bookingId, end } = await bookedSession({ startsInMinutes: -5, minutes: 60 });
    const key = ownTurnKey();
    const host = await workerWith({ REALTIME_TURN_KEY_ID: key }, tutor.client.cookie).post(`/api/bookings/${bookingId}/join`);
    const guest = await workerWith({ REALTIME_TURN_KEY_ID: key }, student.client.cookie).post(`/api/bookings/${bookingId}/join`);
    expect(host.status).toBe(200);
    expect(host.json.local.relay).toBe(true);
    const turnOf = (json: any) => json.local.iceServers.find((s: { username?: string }) => s.username);
    expect(host.json.local.iceServers[0]).toEqual({ urls: ["stun:stun.cloudflare.com:3478"] });
    expect(turnOf(host.json)).toEqual({
      // Port 53 is left out: browsers will not use it.
      urls: [
        "turn:turn.cloudflare.com:3478?transport=udp",
        "turn:turn.cloudflare.com:3478?transport=tcp",
        "turn:turn.cloudflare.com:80?transport=tcp",
        "turns:turn.cloudflare.com:5349?transport=tcp",
        "turns:turn.cloudflare.com:443?transport=tcp",
      ],
      username: expect.stringMatching(/^fake-/),
      credential: expect.stringMatching(/^cred-/),
    });
    expect(turnOf(guest.json).username).not.toBe(turnOf(host.json).username);

    const minted = await turnRequests(key);
    expect(minted).toHaveLength(2);
    // Valid until the room closes (10 minutes after the end) plus a margin, not for a day.
    const roomLeft = (end + 10 * 60_000 - Date.now()) / 1000;
    for (const r of minted) {
      expect(r.method).toBe("POST");
      expect(r.body.ttl).toBeGreaterThan(roomLeft + 14 * 60);
      expect(r.body.ttl).toBeLessThan(roomLeft + 16 * 60);
    }
  });

  it("uses host candidates only when no TURN key is configured locally", async () => {
    const { student, bookingId } = await bookedSession();
    const res = await workerWith({ REALTIME_TURN_KEY_ID: undefined, REALTIME_TURN_KEY_API_TOKEN: undefined }, student.client.cookie).post(`/api/bookings/${bookingId}/join`);
    expect(res.status).toBe(200);
    expect(res.json.local).toEqual({ iceServers: [], relay: false });
  });

  it("answers 503 video_unavailable when Cloudflare's TURN API fails, without leaking the key", async () => {
    const { student, bookingId } = await bookedSession();
    const res = await workerWith({ REALTIME_TURN_KEY_ID: FAKE_REALTIME.turnKeyUnavailable }, student.client.cookie).post(`/api/bookings/${bookingId}/join`);
    expect(res.status).toBe(503);
    expect(res.json.error.code).toBe("video_unavailable");
    expect(res.text).not.toContain(FAKE_REALTIME.turnApiToken);
  });

  it("mints nothing for someone who may not join yet", async () => {
    const early = await bookedSession({ startsInMinutes: 30 });
    const key = ownTurnKey();
    const res = await workerWith({ REALTIME_TURN_KEY_ID: key }, early.student.client.cookie).post(`/api/bookings/${early.bookingId}/join`);
    expect(res.json.error.code).toBe("outside_session_window");
    expect(await turnRequests(key)).toEqual([]);
  });
});
