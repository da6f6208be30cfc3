import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "./helpers";
import { MATRIX } from "./matrix/index";
import { PERSONAS, type Persona, type Scene, buildScene } from "./scene";
import { type Res, type Row, defaultParams, fillPath, routeTable, upgrade } from "./surface";

/*
 * Every route of the app × every kind of caller, as data: who gets what (test/worker/surface.ts), and for each
 * answer that lets the call through, what it must have done. Each feature keeps its rows in test/worker/matrix/;
 * a route missing from them fails the first test.
 */

let scene: Scene;
beforeAll(async () => {
  scene = await buildScene();
}, 240_000);

async function call(route: string, row: Row, persona: Persona): Promise<{ res: Res; client: Client; params: Record<string, string>; call: Awaited<ReturnType<NonNullable<Row["request"]>>> }> {
  const [method, path] = route.split(" ") as [string, string];
  const params = (await row.params?.(scene, persona)) ?? defaultParams(scene, path);
  const req = (await row.request?.(scene, persona, params)) ?? {};
  const client =
    row.client === "fresh" || persona === "anonymous" ? new Client() : row.client === "ownSession" ? await scene.signIn(persona) : scene.people[persona];
  const url = fillPath(path, params) + (req.query ? `?${req.query}` : "");
  const res = row.socket
    ? await upgrade(client, url, req.headers)
    : await client.request(method, url, method === "GET" ? undefined : ((req.body ?? {}) as Record<string, unknown> | Uint8Array), req.headers);
  return { res, client, params, call: req };
}

describe("authorization matrix (every route × every kind of caller)", () => {
  it("lists every route of the app", () => {
    expect(Object.keys(MATRIX).sort()).toEqual(routeTable().sort());
  });

  it("says, for every call it lets through, what that call must do", () => {
    const vague = Object.entries(MATRIX)
      .filter(([, row]) => Object.values(row.who).some((e) => e === "ok" || e === "101") && !row.effect)
      .map(([route]) => route);
    expect(vague).toEqual([]);
  });

  const routes = Object.keys(MATRIX).sort((a, b) => Number(!!MATRIX[a]!.late) - Number(!!MATRIX[b]!.late));
  it.each(routes)("%s", async (route) => {
    const row = MATRIX[route]!;
    for (const persona of PERSONAS) {
      const expected = row.who[persona];
      const { res, client, params, call: sent } = await call(route, row, persona);
      const label = `${route} as ${persona} → ${res.status} ${res.text.slice(0, 160)}`;
      expect(res.status, label).toBeLessThan(500);
      if (expected === "101" || expected === "ok") {
        if (expected === "101") expect(res.status, label).toBe(101);
        else expect(res.status >= 200 && res.status < 300, label).toBe(true);
        try {
          await row.effect!({ s: scene, p: persona, params, call: sent, res, client });
        } catch (e) {
          throw new Error(`${label}: the effect does not hold: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
        }
      } else if (typeof expected === "string") {
        const [status, code] = expected.split(":");
        expect(res.status, label).toBe(Number(status));
        expect(res.json?.error?.code, label).toBe(code);
      } else expect(res.status, label).toBe(expected);
      if (res.status >= 400) expect(res.json?.error?.code, label).toBeTypeOf("string");
    }
  });
});
