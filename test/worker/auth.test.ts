import { describe, expect, it } from "vitest";
import { Client, signup, uniqueEmail } from "./helpers";

describe("POST /api/auth/signup", () => {
  it("creates a student, sets an HttpOnly SameSite=Lax session cookie and returns the user", async () => {
    const client = new Client();
    const email = uniqueEmail("Mixed.Case");
    const res = await client.post("/api/auth/signup", {
      email: email.toUpperCase(),
      password: "correct horse battery",
      name: "Ada",
      role: "student",
      timezone: "Asia/Kathmandu",
    });
    expect(res.status).toBe(201);
    expect(res.json.user).toMatchObject({ email: email.toLowerCase(), name: "Ada", role: "student", timezone: "Asia/Kathmandu" });
    const cookie = res.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^tutorly_session=[\w-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // http://localhost is local dev
    const me = await client.get("/api/me");
    expect(me.status).toBe(200);
    expect(me.json.user.email).toBe(email.toLowerCase());
  });
});
