import { describe, expect, it } from "vitest";
import { IntroVideoUrlSchema, sniffPhotoType } from "./tutor";

describe("a photo's type is read from its bytes", () => {
  const bytes = (...b: (number | string)[]) => new Uint8Array(b.flatMap((x) => (typeof x === "string" ? [...x].map((c) => c.charCodeAt(0)) : [x])));
  it.each([
    ["JPEG", bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0), "image/jpeg"],
    ["PNG", bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a, 0), "image/png"],
    ["WebP", bytes("RIFF", 0, 0, 0, 0, "WEBP", "VP8 "), "image/webp"],
    ["GIF", bytes("GIF89a", 0, 0), null],
    ["SVG", bytes("<svg xmlns='http://www.w3.org/2000/svg'/>"), null],
    ["a WAV (RIFF, not WEBP)", bytes("RIFF", 0, 0, 0, 0, "WAVE"), null],
    ["too short to tell", bytes(0xff, 0xd8), null],
  ])("%s", (_name, b, type) => expect(sniffPhotoType(b)).toBe(type));
});

describe("an intro video link", () => {
  it("is an https YouTube or Vimeo link, or nothing", () => {
    expect(IntroVideoUrlSchema.parse(" https://youtu.be/dQw4w9WgXcQ ")).toBe("https://youtu.be/dQw4w9WgXcQ");
    expect(IntroVideoUrlSchema.parse("https://VIMEO.com/76979871")).toBe("https://vimeo.com/76979871");
    expect(IntroVideoUrlSchema.parse("")).toBeNull();
    for (const bad of ["http://youtu.be/x", "https://youtu.be:8443/x", "https://evil.example/?u=https://youtu.be/x", "data:text/html,hi", "youtube.com/watch?v=x"]) {
      expect(IntroVideoUrlSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("points at a video, not at a page of the video site that sends people elsewhere", () => {
    for (const good of [
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
      "https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
      "https://www.youtube.com/shorts/dQw4w9WgXcQ",
      "https://www.youtube.com/embed/dQw4w9WgXcQ",
      "https://www.youtube.com/live/dQw4w9WgXcQ",
      "https://vimeo.com/76979871",
      "https://vimeo.com/76979871/8a2b3c4d5e",
      "https://vimeo.com/channels/staffpicks/76979871",
      "https://player.vimeo.com/video/76979871",
    ]) {
      expect(IntroVideoUrlSchema.safeParse(good).success, good).toBe(true);
    }
    for (const bad of [
      "https://www.youtube.com/redirect?q=https://evil.example/&v=dQw4w9WgXcQ",
      "https://www.youtube.com/attribution_link?u=https://evil.example/",
      "https://www.youtube.com/watch?v=",
      "https://www.youtube.com/@somechannel",
      "https://youtu.be/dQw4w9WgXcQ/../../redirect",
      "https://vimeo.com/log_in?redirect=https://evil.example/",
      "https://vimeo.com/external/https:/evil.example",
      "https://player.vimeo.com/api/player.js",
    ]) {
      expect(IntroVideoUrlSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});
