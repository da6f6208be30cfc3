/**
 * A wire-level fake of the Calendly API v2 endpoints Tutorly calls, for tests: Bearer-token auth (personal access
 * tokens), `GET /users/me` (the token's user) and `GET /scheduled_events/:uuid`, with Calendly's response and
 * error shapes (`{resource}`; `{title, message}` with 401/404). Control routes under `/__` let tests register
 * users (token → user) and events, read what was asked, and make the next calls fail.
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";

export type CalendlyFakeUser = { token: string; uri: string; name: string; email?: string };
export type RecordedCalendlyRequest = { method: string; path: string; authorization: string | null };

export function startCalendlyFake(): Promise<{ url: string; close(): Promise<void> }> {
  const users = new Map<string, CalendlyFakeUser>();
  const events = new Map<string, { resource: Record<string, unknown>; visibleTo: string[] }>();
  const requests: RecordedCalendlyRequest[] = [];
  let failNext = 0;

  const error = (status: number, title: string, message: string) => ({ status, body: { title, message } });

  function route(req: IncomingMessage, path: string): { status: number; body: unknown } {
    const auth = req.headers.authorization ?? "";
    const user = users.get(auth.replace(/^Bearer /, ""));
    if (!auth.startsWith("Bearer ") || !user) return error(401, "Unauthenticated", "The access token is invalid");
    if (failNext > 0) {
      failNext--;
      return error(503, "Service Unavailable", "Calendly is temporarily unavailable");
    }
    if (req.method === "GET" && path === "/users/me") {
      const slug = user.name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
      return {
        status: 200,
        body: {
          resource: {
            uri: user.uri,
            name: user.name,
            slug,
            email: user.email ?? `${slug}@example.com`,
            scheduling_url: `https://calendly.com/${slug}`,
            timezone: "America/New_York",
            avatar_url: null,
            created_at: "2024-01-02T03:04:05.678123Z",
            updated_at: "2024-08-07T06:05:04.321123Z",
            current_organization: "https://api.calendly.com/organizations/ORGFAKE0000000001",
            resource_type: "User",
          },
        },
      };
    }
    const m = /^\/scheduled_events\/([A-Za-z0-9_-]+)$/.exec(path);
    if (req.method === "GET" && m) {
      const event = events.get(m[1]!);
      if (!event || !event.visibleTo.includes(user.uri)) return error(404, "Resource Not Found", "The server could not find the requested resource.");
      return { status: 200, body: { resource: event.resource } };
    }
    return error(404, "Resource Not Found", "The server could not find the requested resource.");
  }

  function control(path: string, body: string, res: ServerResponse) {
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(json));
    };
    const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    if (path === "/__users") {
      const u = json as unknown as CalendlyFakeUser;
      users.set(u.token, u);
      return send(200, {});
    }
    if (path === "/__events") {
      // { uuid, resource, visibleTo: [user uri…] }: who may read the event (its hosts).
      events.set(String(json.uuid), { resource: json.resource as Record<string, unknown>, visibleTo: json.visibleTo as string[] });
      return send(200, {});
    }
    if (path === "/__requests") return send(200, requests);
    if (path === "/__fail-next") {
      failNext = Number(json.count ?? 1);
      return send(200, {});
    }
    return send(404, {});
  }

  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://fake").pathname;
      if (path.startsWith("/__")) return control(path, raw, res);
      requests.push({ method: req.method ?? "GET", path, authorization: req.headers.authorization ?? null });
      const result = route(req, path);
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
