/**
 * What each browser sends in a peer-to-peer room. In a mesh every sender uploads one copy of its camera per
 * other participant, so a group above four would saturate a home uplink (and a phone's encoder) at full quality:
 * each sender lowers its resolution and frame rate instead. An SFU (RealtimeKit) needs none of this: it forwards
 * one upload, with simulcast layers chosen per viewer.
 */
export type SendProfile = { maxHeight: number; maxFramerate: number; maxBitrateBps: number };

export const FULL_QUALITY: SendProfile = { maxHeight: 720, maxFramerate: 30, maxBitrateBps: 1_200_000 };

/** The send profile for a room of `participants` people (this browser included). */
export function sendProfile(participants: number): SendProfile {
  if (participants <= 4) return FULL_QUALITY;
  if (participants <= 6) return { maxHeight: 360, maxFramerate: 15, maxBitrateBps: 350_000 };
  return { maxHeight: 240, maxFramerate: 12, maxBitrateBps: 200_000 };
}

/** How much to scale a camera of `trackHeight` pixels down to stay within the profile (1 = as is). */
export const scaleDownBy = (trackHeight: number | undefined, profile: SendProfile) =>
  trackHeight && trackHeight > profile.maxHeight ? trackHeight / profile.maxHeight : 1;
