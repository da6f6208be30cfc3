/**
 * A wire-level fake of a Resend-style email API for tests: `POST /emails` with a Bearer token and a JSON body
 * `{from, to, subject, text, headers}` answers `{id}`; a missing or wrong token is 401, a missing field 422.
 * `GET /__/sent` returns what was accepted, and `POST /__/fail` makes the next send answer 503. A repeated
 * `Idempotency-Key` gets the first send's answer and sends nothing (as Resend does).
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";

export const FAKE_EMAIL_TOKEN = "re_test_tutorly_fake";

export function startEmailFake(): Promise<{ url: string; close(): Promise<void> }> {
  const sent: { id: string; authorization: string; body: Record<string, unknown> }[] = [];
  let failNext = 0;
  const byKey = new Map<string, string>();
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method === "GET" && req.url === "/__/sent") return answer(200, sent);
      if (req.method === "POST" && req.url === "/__/fail") {
        failNext++;
        return answer(200, { failNext });
      }
      if (req.method !== "POST" || req.url !== "/emails") return answer(404, { message: "not found" });
      if (req.headers.authorization !== `Bearer ${FAKE_EMAIL_TOKEN}`) return answer(401, { message: "invalid API key" });
      if (failNext > 0) {
        failNext--;
        return answer(503, { message: "try again" });
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw);
      } catch {
        return answer(400, { message: "invalid JSON" });
      }
      for (const field of ["from", "to", "subject", "text"]) if (typeof body[field] !== "string") return answer(422, { message: `${field} is required` });
      const key = req.headers["idempotency-key"];
      const before = typeof key === "string" ? byKey.get(key) : undefined;
      if (before) return answer(200, { id: before });
      const id = randomUUID();
      if (typeof key === "string") byKey.set(key, id);
      sent.push({ id, authorization: req.headers.authorization, body });
      answer(200, { id });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}
