/** A device as a User-Agent string names it: its browser and system (product names, the same in every language). */
export type DeviceParts = { browser: string | null; os: string | null };

/**
 * The browser and system of a User-Agent string, null where it names none we know. The signed-in devices list
 * puts them into a sentence of the viewer's language ("Chrome en Linux"), or says "unknown device" when both are null.
 */
export function deviceOf(userAgent: string | null | undefined): DeviceParts {
  if (!userAgent) return { browser: null, os: null };
  const ua = userAgent;
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /OPR\/|Opera/.test(ua)
      ? "Opera"
      : /Firefox\//.test(ua)
        ? "Firefox"
        : /Chrome\/|Chromium\/|CriOS\//.test(ua)
          ? "Chrome"
          : /Safari\//.test(ua) && /Version\//.test(ua)
            ? "Safari"
            : null;
  const os = /iPhone|iPad|iPod/.test(ua)
    ? "iOS"
    : /Android/.test(ua)
      ? "Android"
      : /Windows/.test(ua)
        ? "Windows"
        : /Mac OS X|Macintosh/.test(ua)
          ? "macOS"
          : /CrOS/.test(ua)
            ? "ChromeOS"
            : /Linux/.test(ua)
              ? "Linux"
              : null;
  return { browser, os };
}

/** "Firefox on Windows", in English, for API clients and logs ("Unknown device" otherwise); screens use `deviceOf`. */
export function deviceLabel(userAgent: string | null | undefined): string {
  const { browser, os } = deviceOf(userAgent);
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? "Unknown device";
}
