import { describe, expect, it } from "vitest";
import { Client } from "./helpers";

describe("error envelope", () => {
  it("answers unknown /api routes with a JSON 404", async () => {
    const res = await new Client().get("/api/no/such/thing");
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toMatch(/application\/json/);
    expect(res.json.error).toMatchObject({ code: "not_found" });
    expect(res.json.error.requestId).toBe(res.headers.get("X-Request-Id"));
  });

  it("answers malformed JSON with 400 invalid_json", async () => {
    const res = await new Client().post("/api/auth/login", "{not json");
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_json");
  });

  it.each([
    ["an array", "[]"],
    ["a string", '"hello"'],
    ["null", "null"],
    ["a number", "42"],
    ["an empty body", ""],
    ["a huge field", JSON.stringify({ email: "a".repeat(100_000) + "@x.com", password: "x".repeat(10_000) })],
    ["wrong types", JSON.stringify({ email: 5, password: { $gt: "" } })],
  ])("answers %s with a 4xx envelope, never a 500", async (_, body) => {
    const res = await new Client().request("POST", "/api/auth/login", body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(typeof res.json.error.code).toBe("string");
    expect(typeof res.json.error.message).toBe("string");
  });

  it("answers a non-JSON content type with 415 and the envelope", async () => {
    const res = await new Client().request("POST", "/api/auth/signup", "email=a@b.co", { "Content-Type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(415);
    expect(res.json.error.code).toBe("unsupported_media_type");
  });

  it("sets security headers on API responses", async () => {
    const res = await new Client().get("/api/me");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("X-Frame-Options")).toBe("SAMEORIGIN");
    expect(res.headers.get("Strict-Transport-Security")).toMatch(/max-age=/);
    expect(res.headers.get("Content-Security-Policy")).toMatch(/default-src 'none'/);
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
  });
});
