import { A, useParams } from "@solidjs/router";
import { For, Match, Show, Switch, createEffect, createResource, createSignal } from "solid-js";
import type { User } from "../../../domain/schemas/auth";
import type { JoinData } from "../../../domain/schemas/video";
import { ChatPanel } from "../components/room/ChatPanel";
import { Countdown } from "../components/room/Countdown";
import { DeviceCheck } from "../components/room/DeviceCheck";
import { RoomControls } from "../components/room/RoomControls";
import { VideoTile } from "../components/room/VideoTile";
import { Guard } from "../components/Guard";
import { endSession, findMyBooking, joinErrorText, joinSession } from "../features/video/api";
import { type Call, type CallPhase, createCall } from "../features/video/call";
import type { DeviceChoice } from "../features/video/devices";
import { stopStream } from "../features/video/devices";
import { ApiFailure } from "../lib/api";
import { subjectLabel } from "../lib/format";
import { session } from "../lib/session";
import { formatTimeRange } from "../lib/time";
import "../features/video/room.css";

/** `/sessions/:id/room`: the video room of a booked session, for its tutor and students. */
export default function SessionRoomPage() {
  const params = useParams<{ id: string }>();
  return (
    <Guard roles={["student", "tutor"]}>
      <Room id={params.id} user={session.user()!} />
    </Guard>
  );
}

type Entered = { join: JoinData; stream: MediaStream; choice: DeviceChoice; start: { mic: boolean; camera: boolean } };

function Room(props: { id: string; user: User }) {
  const [booking] = createResource(() => props.id, (id) => findMyBooking(id).catch(() => null));
  const [entered, setEntered] = createSignal<Entered>();
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [refused, setRefused] = createSignal<string>();
  const [phase, setPhase] = createSignal<CallPhase>();
  const closed = () => {
    const status = booking.latest?.status;
    return status === "cancelled" || status === "completed" ? status : null;
  };

  /** Asks to join; true when the room took the stream. */
  const enter = async (choice: DeviceChoice, stream: MediaStream, start: { mic: boolean; camera: boolean }): Promise<boolean> => {
    setPending(true);
    setError();
    try {
      setEntered({ join: await joinSession(props.id), stream, choice, start });
      return true;
    } catch (e) {
      if (e instanceof ApiFailure && e.code === "not_a_participant") {
        // The device check is about to disappear with its stream.
        stopStream(stream);
        setRefused(joinErrorText(e));
      } else setError(joinErrorText(e));
      return false;
    } finally {
      setPending(false);
    }
  };

  const title = () => {
    const b = booking.latest ?? entered()?.join.booking;
    return b ? subjectLabel(b.subject) : "Session";
  };
  const times = () => {
    const b = booking.latest ?? entered()?.join.booking;
    return b ? { start: b.start, end: b.end } : null;
  };

  return (
    <div class="room-page" data-phase={refused() ? "refused" : entered() ? "in-room" : "check"}>
      <div class="page-head">
        <div>
          <h1>{title()}</h1>
          <Show when={times()}>{(t) => <p>{formatTimeRange(t().start, t().end, props.user.timezone)} · times in {props.user.timezone}</p>}</Show>
        </div>
        <Show when={!closed() && phase() !== "ended" && times()}>{(t) => <Countdown start={t().start} end={t().end} />}</Show>
      </div>
      <Switch>
        <Match when={refused()}>
          <div class="card narrow" role="alert">
            <h2>You can't join this session</h2>
            <p>{refused()}</p>
            <A class="btn secondary" href="/sessions">
              Back to my sessions
            </A>
          </div>
        </Match>
        <Match when={entered()}>
          {(e) => <InRoom entered={e()} user={props.user} bookingId={props.id} onPhase={setPhase} onRejoin={() => setEntered()} />}
        </Match>
        <Match when={closed()}>
          {(status) => (
            <div class="card narrow" role="status">
              <h2>{status() === "cancelled" ? "This session was cancelled" : "This session has ended"}</h2>
              <A class="btn secondary" href="/sessions">
                Back to my sessions
              </A>
            </div>
          )}
        </Match>
        <Match when={true}>
          <DeviceCheck start={times()?.start} end={times()?.end} zone={props.user.timezone} pending={pending()} error={error()} onJoin={enter} />
        </Match>
      </Switch>
    </div>
  );
}

const PHASE_TEXT: Record<Call["state"]["phase"], string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  ended: "Session ended",
  replaced: "Joined from another tab",
  left: "You left",
  failed: "Disconnected",
};

function InRoom(props: { entered: Entered; user: User; bookingId: string; onPhase(phase: CallPhase): void; onRejoin(): void }) {
  const call = createCall({
    join: props.entered.join,
    stream: props.entered.stream,
    cameraId: props.entered.choice.cameraId,
    start: props.entered.start,
    rejoin: () => joinSession(props.bookingId),
  });
  const s = call.state;
  createEffect(() => props.onPhase(s.phase));
  const host = props.entered.join.role === "host";
  const live = () => s.phase === "connected" || s.phase === "reconnecting" || s.phase === "connecting";
  const canShareScreen = typeof navigator.mediaDevices?.getDisplayMedia === "function";

  return (
    <Switch>
      <Match when={!live()}>
        <div class="card narrow room-over" role="status">
          <Switch>
            <Match when={s.phase === "ended"}>
              <h2>The session has ended</h2>
              <p>{s.endedReason === "ended_by_tutor" ? (host ? "You ended the session. It's marked as completed." : "Your tutor ended the session.") : (s.error ?? "The room has closed.")}</p>
            </Match>
            <Match when={s.phase === "replaced"}>
              <h2>You joined from another tab</h2>
              <p>This tab left the room so you don't appear twice.</p>
            </Match>
            <Match when={s.phase === "left"}>
              <h2>You left the session</h2>
              <p>You can rejoin while the room is open.</p>
            </Match>
            <Match when={s.phase === "failed"}>
              <h2>You're disconnected</h2>
              <p>{s.error ?? "The connection to the room was lost."}</p>
            </Match>
          </Switch>
          <div class="row">
            <Show when={s.phase === "left" || s.phase === "failed" || s.phase === "replaced"}>
              <button type="button" class="btn" onClick={() => props.onRejoin()}>
                Rejoin
              </button>
            </Show>
            <A class="btn secondary" href="/sessions">
              Back to my sessions
            </A>
          </div>
        </div>
      </Match>
      <Match when={live()}>
        <div class="room" data-provider={s.provider}>
          <div class="room-status row tight">
            <span class="badge" classList={{ success: s.phase === "connected", warning: s.phase !== "connected" }} data-testid="room-status" role="status">
              {PHASE_TEXT[s.phase]}
            </span>
            <span class="muted small">
              {s.peers.length + 1} in the room{s.provider === "realtimekit" ? " · Cloudflare Realtime" : " · peer-to-peer"}
            </span>
          </div>
          <Show when={s.mediaError}>
            <div class="alert warning" role="status">
              {s.mediaError}
            </div>
          </Show>
          <div class="room-body">
            <section class="stage" data-count={s.peers.length + 1} aria-label="Participants">
              <VideoTile stream={call.selfStream()} name={s.self?.name ?? props.user.name} self host={host} audio={s.mic} video={s.camera} screen={s.screen} userId={props.user.id} />
              <For each={s.peers}>
                {(p) => <VideoTile stream={p.stream} name={p.name} host={p.role === "host"} audio={p.audio} video={p.video} screen={p.screen} link={p.link} userId={p.userId} />}
              </For>
              <Show when={!s.peers.length && s.phase === "connected"}>
                <div class="tile tile-waiting">
                  <p>{host ? "Waiting for your student to join…" : "Waiting for your tutor to join…"}</p>
                </div>
              </Show>
            </section>
            <aside class="room-side">
              <ChatPanel messages={s.chat} selfId={props.user.id} zone={props.user.timezone} disabled={s.phase !== "connected"} onSend={(t) => call.sendChat(t)} />
            </aside>
          </div>
          <RoomControls
            mic={s.mic}
            camera={s.camera}
            screen={s.screen}
            host={host}
            canShareScreen={canShareScreen}
            onMic={() => void call.toggleMic()}
            onCamera={() => void call.toggleCamera()}
            onScreen={() => void call.toggleScreen()}
            onLeave={() => void call.leave()}
            onEnd={async () => {
              try {
                await endSession(props.bookingId);
              } catch (e) {
                throw new Error(joinErrorText(e));
              }
            }}
          />
        </div>
      </Match>
    </Switch>
  );
}
