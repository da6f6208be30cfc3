import type { Tutor } from "../../../domain/schemas/tutor";
import { calendarOf } from "../../lib/stubs";

/**
 * Whether the tutor page should offer `viewer` a trial with `tutor`. For a student it is the booking's own rule, asked
 * of the tutor's calendar (a trial booked or had there, even one still ahead, closes it); anyone else (signed out, a
 * tutor, an admin) sees the tutor's general offer, as a student who signs up would.
 */
export async function trialAvailableTo(env: Env, tutor: Tutor, viewer: { id: string; role: string } | undefined): Promise<boolean> {
  if (!tutor.offersTrials) return false;
  if (viewer?.role !== "student") return true;
  return calendarOf(env, tutor.id).trialOpenTo(viewer.id);
}
