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

/**
 * The few RealtimeKit REST calls Tutorly makes, over fetch, with responses checked before use:
 * `POST …/meetings`, `POST …/meetings/:id/participants`, `POST …/meetings/:id/participants/:pid/token`.
 */
export class RealtimeKitApi {
  constructor(private readonly config: RealtimeConfig) {}

  private url(path: string) {
    const c = this.config;
    return `${c.apiBase}/accounts/${encodeURIComponent(c.accountId)}/realtime/kit/${encodeURIComponent(c.appId)}${path}`;
  }

  private async post<T extends z.ZodType>(path: string, body: unknown, schema: T): Promise<z.infer<T>> {
    const res = await fetch(this.url(path), {
      method: "POST",
      headers: { Authorization: `Bearer ${this.config.apiToken}`, "Content-Type": "application/json" },
      body: JSON.stringify(body ?? {}),
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
}
