/**
 * A wire-level fake of the Cloudflare Realtime endpoints Tutorly calls, for tests. RealtimeKit: Cloudflare's v4
 * envelope, Bearer-token auth, meetings under `/client/v4/accounts/:account/realtime/kit/:app/` (create, add,
 * refresh a token, delete a participant, kick from the live session). TURN: `POST /v1/turn/keys/:key/credentials/
 * generate-ice-servers` answering 201 `{iceServers}` as rtc.live.cloudflare.com does. Control routes under `/__`
 * let tests read what was sent, slow meeting creation down (to widen race windows) and inject failures.
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";

export const FAKE_REALTIME = {
  accountId: "acc_tutorly_fake",
  appId: "app_tutorly_fake",
  apiToken: "rtk_test_token",
  presets: ["group_call_host", "group_call_participant", "tutorly_host", "tutorly_student"],
  turnKeyId: "turn_key_tutorly_fake",
  turnApiToken: "turn_token_tutorly_fake",
  /** A TURN key the fake always answers 503 for (an outage, without racing other tests). */
  turnKeyUnavailable: "turn_key_unavailable",
} as const;

export type RecordedRealtimeRequest = { method: string; path: string; body: Record<string, unknown>; at: number };

type Meeting = { id: string; title: string | null; participants: Map<string, { id: string; custom_participant_id: string; preset_name: string; name: string | null; token: string }> };

export function startRealtimeKitFake(): Promise<{ url: string; close(): Promise<void> }> {
  const requests: RecordedRealtimeRequest[] = [];
  const meetings = new Map<string, Meeting>();
  let createDelayMs = 0;
  let failNext = 0;
  let tokenSeq = 0;
  const token = () => `rtk_token_${++tokenSeq}_${randomUUID()}`;

  const ok = (data: unknown, status = 200) => ({ status, body: { success: true, data } });
  const err = (status: number, message: string) => ({ status, body: { success: false, errors: [{ code: status, message }], messages: [] } });

  /** Cloudflare's TURN credentials API: a fresh username and credential on every call, valid for `ttl` seconds. */
  function turn(method: string, path: string, body: Record<string, unknown>, auth: string | undefined): { status: number; body: unknown } {
    const m = /^\/v1\/turn\/keys\/([^/]+)\/credentials\/generate-ice-servers$/.exec(path);
    if (method !== "POST" || !m) return { status: 404, body: { error: "not found" } };
    if (m[1] === FAKE_REALTIME.turnKeyUnavailable) return { status: 503, body: { error: "service unavailable" } };
    // Any key under the fake's id is valid, so a test can use its own and find its requests among others'.
    if (!m[1]!.startsWith(FAKE_REALTIME.turnKeyId) || auth !== `Bearer ${FAKE_REALTIME.turnApiToken}`) return { status: 401, body: { error: "unauthorized" } };
    if (typeof body.ttl !== "number" || body.ttl <= 0 || body.ttl > 172_800) return { status: 400, body: { error: "ttl must be a positive number of seconds up to 48 hours" } };
    const username = `fake-${++tokenSeq}-${randomUUID()}`;
    return {
      status: 201,
      body: {
        iceServers: [
          { urls: ["stun:stun.cloudflare.com:3478", "stun:stun.cloudflare.com:53"] },
          {
            urls: [
              "turn:turn.cloudflare.com:3478?transport=udp",
              "turn:turn.cloudflare.com:53?transport=udp",
              "turn:turn.cloudflare.com:3478?transport=tcp",
              "turn:turn.cloudflare.com:80?transport=tcp",
              "turns:turn.cloudflare.com:5349?transport=tcp",
              "turns:turn.cloudflare.com:443?transport=tcp",
            ],
            username,
            credential: `cred-${randomUUID()}`,
          },
        ],
      },
    };
  }

  function route(method: string, path: string, body: Record<string, unknown>): { status: number; body: unknown } {
    const base = `/client/v4/accounts/${FAKE_REALTIME.accountId}/realtime/kit/${FAKE_REALTIME.appId}`;
    if (!path.startsWith(`${base}/`)) return err(404, "Unknown account or app");
    const rest = path.slice(base.length);
    let m: RegExpExecArray | null;
    if (method === "POST" && rest === "/meetings") {
      const meeting: Meeting = { id: randomUUID(), title: typeof body.title === "string" ? body.title : null, participants: new Map() };
      meetings.set(meeting.id, meeting);
      const now = new Date().toISOString();
      return ok({ id: meeting.id, title: meeting.title, status: "ACTIVE", record_on_start: false, persist_chat: false, created_at: now, updated_at: now }, 201);
    }
    if (method === "POST" && (m = /^\/meetings\/([^/]+)\/participants$/.exec(rest))) {
      const meeting = meetings.get(m[1]!);
      if (!meeting) return err(404, "Meeting not found");
      const { custom_participant_id: customId, preset_name: preset, name } = body;
      if (typeof customId !== "string" || !customId) return err(400, "custom_participant_id is required");
      if (typeof preset !== "string" || !(FAKE_REALTIME.presets as readonly string[]).includes(preset)) return err(400, `Preset ${String(preset)} not found`);
      const p = { id: randomUUID(), custom_participant_id: customId, preset_name: preset, name: typeof name === "string" ? name : null, token: token() };
      meeting.participants.set(p.id, p);
      const now = new Date().toISOString();
      return ok({ ...p, picture: null, created_at: now, updated_at: now }, 201);
    }
    if (method === "DELETE" && (m = /^\/meetings\/([^/]+)\/participants\/([^/]+)$/.exec(rest))) {
      const meeting = meetings.get(m[1]!);
      const p = meeting?.participants.get(m[2]!);
      if (!meeting || !p) return err(404, "Participant not found");
      meeting.participants.delete(p.id);
      const now = new Date().toISOString();
      return ok({ custom_participant_id: p.custom_participant_id, preset_id: randomUUID(), created_at: now, updated_at: now });
    }
    if (method === "POST" && (m = /^\/meetings\/([^/]+)\/active-session\/(kick|kick-all)$/.exec(rest))) {
      const meeting = meetings.get(m[1]!);
      if (!meeting) return err(404, "Meeting not found");
      // The real API answers 404 when no session is live; the fake treats every meeting as live.
      if (m[2] === "kick-all") return ok({ action: "kick-all", kicked_participants_count: meeting.participants.size });
      const ids = Array.isArray(body.custom_participant_ids) ? body.custom_participant_ids : [];
      const kicked = [...meeting.participants.values()].filter((p) => ids.includes(p.custom_participant_id));
      return ok({ action: "kick", participants: kicked.map((p) => ({ id: p.id, name: p.name, created_at: "", updated_at: "" })) });
    }
    if (method === "POST" && (m = /^\/meetings\/([^/]+)\/participants\/([^/]+)\/token$/.exec(rest))) {
      const p = meetings.get(m[1]!)?.participants.get(m[2]!);
      if (!p) return err(404, "Participant not found");
      p.token = token();
      return ok({ token: p.token });
    }
    return err(404, `Unrecognized request URL (${method}: ${path})`);
  }

  function control(req: IncomingMessage, res: ServerResponse, body: string) {
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(json));
    };
    const path = req.url ?? "";
    if (path === "/__requests") return send(200, requests);
    if (path === "/__meetings") {
      return send(200, [...meetings.values()].map((mt) => ({ id: mt.id, title: mt.title, participants: [...mt.participants.values()] })));
    }
    if (path === "/__reset") {
      requests.length = 0;
      meetings.clear();
      createDelayMs = 0;
      failNext = 0;
      return send(200, {});
    }
    if (path === "/__create-delay") {
      createDelayMs = Number(JSON.parse(body).ms ?? 0);
      return send(200, {});
    }
    if (path === "/__fail-next") {
      failNext = Number(JSON.parse(body).count ?? 1);
      return send(200, {});
    }
    return send(404, {});
  }

  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      if (url.pathname.startsWith("/__")) return control(req, res, raw);
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        /* recorded as empty; the route refuses what it needs */
      }
      requests.push({ method: req.method ?? "GET", path: url.pathname, body, at: Date.now() });
      let result: { status: number; body: unknown };
      if (url.pathname.startsWith("/v1/turn/")) {
        result = turn(req.method ?? "GET", url.pathname, body, req.headers.authorization);
      } else if (req.headers.authorization !== `Bearer ${FAKE_REALTIME.apiToken}`) result = err(401, "Authentication error");
      else if (failNext > 0) {
        failNext--;
        result = err(503, "Service unavailable");
      } else {
        if (createDelayMs && req.method === "POST" && url.pathname.endsWith("/meetings")) await new Promise((r) => setTimeout(r, createDelayMs));
        result = route(req.method ?? "GET", url.pathname, body);
      }
      res.writeHead(result.status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(result.body));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
