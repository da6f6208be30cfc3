/**
 * A wire-level fake of the RealtimeKit REST endpoints Tutorly calls, for tests: Cloudflare's v4 envelope,
 * Bearer-token auth, meetings under `/client/v4/accounts/:account/realtime/kit/:app/`. Control routes under
 * `/__` let tests read what was sent, slow meeting creation down (to widen race windows) and inject failures.
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";

export const FAKE_REALTIME = {
  accountId: "acc_tutorly_fake",
  appId: "app_tutorly_fake",
  apiToken: "rtk_test_token",
  presets: ["group_call_host", "group_call_participant", "tutorly_host", "tutorly_student"],
} as const;

export type RecordedRealtimeRequest = { method: string; path: string; body: Record<string, unknown> };

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
      requests.push({ method: req.method ?? "GET", path: url.pathname, body });
      let result: { status: number; body: unknown };
      if (req.headers.authorization !== `Bearer ${FAKE_REALTIME.apiToken}`) result = err(401, "Authentication error");
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
