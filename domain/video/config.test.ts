import { describe, expect, it } from "vitest";
import { type VideoSettings, planVideo } from "./config";

const RTK = { REALTIME_ACCOUNT_ID: "acc", REALTIME_APP_ID: "app", REALTIME_API_TOKEN: "tok" };
const TURN = { REALTIME_TURN_KEY_ID: "key", REALTIME_TURN_KEY_API_TOKEN: "secret" };

describe("planVideo", () => {
  it.each<[string, VideoSettings, ReturnType<typeof planVideo>]>([
    ["production with RealtimeKit secrets", { ENVIRONMENT: "production", ...RTK }, { ok: true, provider: "realtimekit" }],
    ["production choosing peer-to-peer with a TURN key", { ENVIRONMENT: "production", VIDEO_PROVIDER: "p2p", ...TURN }, { ok: true, provider: "p2p", turn: true }],
    ["staging choosing RealtimeKit explicitly", { ENVIRONMENT: "staging", VIDEO_PROVIDER: "realtimekit", ...RTK, ...TURN }, { ok: true, provider: "realtimekit" }],
    ["development with nothing set", { ENVIRONMENT: "development" }, { ok: true, provider: "p2p", turn: false }],
    ["development with a TURN key", { ENVIRONMENT: "development", ...TURN }, { ok: true, provider: "p2p", turn: true }],
    ["tests choosing peer-to-peer while RealtimeKit credentials exist", { ENVIRONMENT: "test", VIDEO_PROVIDER: "p2p", ...RTK }, { ok: true, provider: "p2p", turn: false }],
  ])("runs %s", (_, settings, plan) => {
    expect(planVideo(settings)).toEqual(plan);
  });

  it("refuses production with no video configuration, naming what to set", () => {
    const plan = planVideo({ ENVIRONMENT: "production" });
    expect(plan).toMatchObject({ ok: false, missing: ["REALTIME_ACCOUNT_ID", "REALTIME_APP_ID", "REALTIME_API_TOKEN"] });
    expect(plan.ok || plan.message).toBe(
      "Video is not configured: set REALTIME_ACCOUNT_ID, REALTIME_APP_ID and REALTIME_API_TOKEN for Cloudflare RealtimeKit, or choose peer-to-peer with VIDEO_PROVIDER=p2p plus REALTIME_TURN_KEY_ID and REALTIME_TURN_KEY_API_TOKEN.",
    );
  });

  it.each<[string, VideoSettings, string[]]>([
    ["staging with only a TURN key (peer-to-peer must be chosen)", { ENVIRONMENT: "staging", ...TURN }, ["REALTIME_ACCOUNT_ID", "REALTIME_APP_ID", "REALTIME_API_TOKEN"]],
    ["production choosing peer-to-peer without TURN", { ENVIRONMENT: "production", VIDEO_PROVIDER: "p2p" }, ["REALTIME_TURN_KEY_ID", "REALTIME_TURN_KEY_API_TOKEN"]],
    ["production choosing RealtimeKit without its token", { ENVIRONMENT: "production", VIDEO_PROVIDER: "realtimekit", REALTIME_ACCOUNT_ID: "a", REALTIME_APP_ID: "b" }, ["REALTIME_API_TOKEN"]],
    ["development choosing RealtimeKit with nothing set", { ENVIRONMENT: "development", VIDEO_PROVIDER: "realtimekit" }, ["REALTIME_ACCOUNT_ID", "REALTIME_APP_ID", "REALTIME_API_TOKEN"]],
    ["development with half the RealtimeKit secrets", { ENVIRONMENT: "development", REALTIME_APP_ID: "app" }, ["REALTIME_ACCOUNT_ID", "REALTIME_API_TOKEN"]],
    ["development with half a TURN key", { ENVIRONMENT: "development", REALTIME_TURN_KEY_ID: "key" }, ["REALTIME_TURN_KEY_API_TOKEN"]],
    ["an unknown provider", { ENVIRONMENT: "development", VIDEO_PROVIDER: "zoom" }, ["VIDEO_PROVIDER"]],
    ["an environment that is not named (treated as deployed)", { ...TURN }, ["REALTIME_ACCOUNT_ID", "REALTIME_APP_ID", "REALTIME_API_TOKEN"]],
    ["blank secrets", { ENVIRONMENT: "production", REALTIME_ACCOUNT_ID: " ", REALTIME_APP_ID: "", REALTIME_API_TOKEN: "" }, ["REALTIME_ACCOUNT_ID", "REALTIME_APP_ID", "REALTIME_API_TOKEN"]],
  ])("refuses %s", (_, settings, missing) => {
    expect(planVideo(settings)).toMatchObject({ ok: false, missing });
  });
});
