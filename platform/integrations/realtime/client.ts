import { z } from "zod";
import type { RealtimeConfig } from "./config";

/** A failed RealtimeKit call: its HTTP status and Cloudflare's error messages. */
export class RealtimeKitError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Cloudflare's v4 envelope around every RealtimeKit answer. */
const Envelope = z.object({ success: z.literal(true), data: z.unknown() });
const ErrorEnvelope = z.object({ errors: z.array(z.object({ message: z.string() }).loose()).optional() }).loose();

const MeetingSchema = z.object({ id: z.string().min(1), title: z.string().nullish() }).loose();
const ParticipantSchema = z.object({ id: z.string().min(1), token: z.string().min(1), custom_participant_id: z.string().nullish(), preset_name: z.string().nullish() }).loose();
const TokenSchema = z.object({ token: z.string().min(1) }).loose();
/** Answers whose content Tutorly does not use (only success matters). */
const AnyData = z.unknown();

/**
 * The few RealtimeKit REST calls Tutorly makes, over fetch, with responses checked before use:
 * `POST …/meetings`, `POST …/meetings/:id/participants`, `POST …/meetings/:id/participants/:pid/token`,
 * `DELETE …/meetings/:id/participants/:pid`, `POST …/meetings/:id/active-session/kick` and `…/kick-all`.
 */
export class RealtimeKitApi {
  constructor(private readonly config: RealtimeConfig) {}

  private url(path: string) {
    const c = this.config;
    return `${c.apiBase}/accounts/${encodeURIComponent(c.accountId)}/realtime/kit/${encodeURIComponent(c.appId)}${path}`;
  }

  private async call<T extends z.ZodType>(method: "POST" | "DELETE", path: string, body: unknown, schema: T): Promise<z.infer<T>> {
    const res = await fetch(this.url(path), {
      method,
      headers: { Authorization: `Bearer ${this.config.apiToken}`, "Content-Type": "application/json" },
      ...(method === "POST" ? { body: JSON.stringify(body ?? {}) } : {}),
    }).catch((e: unknown) => {
      throw new RealtimeKitError(0, `RealtimeKit unreachable: ${String(e)}`);
    });
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const errors = ErrorEnvelope.safeParse(json);
      const detail = errors.success ? errors.data.errors?.map((e) => e.message).join("; ") : undefined;
      throw new RealtimeKitError(res.status, `RealtimeKit ${path.split("/")[1] ?? ""} failed (${res.status})${detail ? `: ${detail}` : ""}`);
    }
    const env = Envelope.safeParse(json);
    const parsed = env.success ? schema.safeParse(env.data.data) : null;
    if (!parsed?.success) throw new RealtimeKitError(502, `RealtimeKit answered ${path} with an unexpected shape`);
    return parsed.data;
  }

  private post<T extends z.ZodType>(path: string, body: unknown, schema: T) {
    return this.call("POST", path, body, schema);
  }

  /** Creates a meeting (a reusable room; a session starts when the first participant joins it). */
  createMeeting(input: { title: string }) {
    return this.post("/meetings", { title: input.title }, MeetingSchema);
  }

  /** Adds someone to a meeting with a preset; the answer carries their participant id and auth token. */
  addParticipant(meetingId: string, input: { customParticipantId: string; presetName: string; name: string }) {
    return this.post(
      `/meetings/${encodeURIComponent(meetingId)}/participants`,
      { custom_participant_id: input.customParticipantId, preset_name: input.presetName, name: input.name },
      ParticipantSchema,
    );
  }

  /** A fresh auth token for a participant added before (tokens expire). */
  refreshParticipantToken(meetingId: string, participantId: string) {
    return this.post(`/meetings/${encodeURIComponent(meetingId)}/participants/${encodeURIComponent(participantId)}/token`, {}, TokenSchema);
  }

  /** Deletes a participant: their auth token stops working, so they cannot enter the meeting again. */
  deleteParticipant(meetingId: string, participantId: string) {
    return this.call("DELETE", `/meetings/${encodeURIComponent(meetingId)}/participants/${encodeURIComponent(participantId)}`, null, AnyData);
  }

  /** Disconnects participants (by our user ids, their custom participant ids) from the meeting's live session. */
  kickParticipants(meetingId: string, customParticipantIds: string[]) {
    return this.post(`/meetings/${encodeURIComponent(meetingId)}/active-session/kick`, { custom_participant_ids: customParticipantIds, participant_ids: [] }, AnyData);
  }

  /** Disconnects everyone from the meeting's live session (the tutor ended it). */
  kickAll(meetingId: string) {
    return this.post(`/meetings/${encodeURIComponent(meetingId)}/active-session/kick-all`, {}, AnyData);
  }
}
