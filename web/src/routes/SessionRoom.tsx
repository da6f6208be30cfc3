import { A, useParams } from "@solidjs/router";
import { For, Match, Show, Switch, createEffect, createResource, createSignal } from "solid-js";
import type { User } from "../../../domain/schemas/auth";
import type { JoinData } from "../../../domain/schemas/video";
import { FULL_QUALITY } from "../../../domain/video/quality";
import { ChatPanel } from "../components/room/ChatPanel";
import { Countdown } from "../components/room/Countdown";
import { DeviceCheck } from "../components/room/DeviceCheck";
import { RoomControls } from "../components/room/RoomControls";
import { VideoTile } from "../components/room/VideoTile";
import { NotesPad } from "../components/room/NotesPad";
import { SummaryForm } from "../components/room/SummaryForm";
import { Whiteboard } from "../components/room/Whiteboard";
import { Notice } from "../components/Alert";
import { Dialog } from "../components/Dialog";
import { Guard } from "../components/Guard";
import { endSession, findMyBooking, joinErrorText, joinSession } from "../features/video/api";
import { type Call, type CallPhase, createCall } from "../features/video/call";
import type { DeviceChoice } from "../features/video/devices";
import { stopStream } from "../features/video/devices";
import { ApiFailure } from "../lib/api";
import { subjectLabel } from "../lib/format";
import { session } from "../lib/session";
import { beforeTime, dayOf, formatDateTime, formatDay, formatTimeRange, zoneLabel } from "../lib/time";
import "../features/video/room.css";
import { type PlainKey, t } from "../i18n";

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
  // null: not one of the caller's sessions (refused before the camera is asked for); undefined: could not tell
  // (the join itself will say).
  const [booking] = createResource(() => props.id, (id) => findMyBooking(id).catch(() => undefined));
  /** The session's new times when it was moved while this room was open (the heading shows them). */
  const [movedTo, setMovedTo] = createSignal<{ start: string; end: string }>();
  const outsider = () => booking.state === "ready" && booking() === null;
  const [entered, setEntered] = createSignal<Entered>();
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [refused, setRefused] = createSignal<{ title: string; text: string }>();
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
      // Refusals that trying again will not change replace the device check (which goes with its stream).
      if (e instanceof ApiFailure && (e.code === "not_a_participant" || e.code === "removed_from_session" || e.code === "video_not_configured")) {
        stopStream(stream);
        setRefused({ title: e.code === "video_not_configured" ? t("room.page.notSetUp") : t("room.page.cantJoin"), text: joinErrorText(e) });
      } else setError(joinErrorText(e));
      return false;
    } finally {
      setPending(false);
    }
  };

  const title = () => {
    const b = booking.latest ?? entered()?.join.booking;
    return b ? subjectLabel(b.subject) : t("room.page.session");
  };
  const times = () => {
    const b = movedTo() ?? booking.latest ?? entered()?.join.booking;
    return b ? { start: b.start, end: b.end } : null;
  };

  return (
    <div class="room-page" data-phase={refused() ? "refused" : entered() ? "in-room" : "check"}>
      <div class="page-head">
        <div>
          <h1>{title()}</h1>
          <Show when={times()}>{(tm) => <p>{t("room.page.times", { range: `${formatDay(dayOf(tm().start, props.user.timezone))}${beforeTime()}${formatTimeRange(tm().start, tm().end, props.user.timezone)}`, zone: zoneLabel(props.user.timezone) })}</p>}</Show>
        </div>
        <Show when={!closed() && phase() !== "ended" && times()}>{(tm) => <Countdown start={tm().start} end={tm().end} />}</Show>
      </div>
      <Switch>
        <Match when={refused()}>
          <div class="card narrow" role="alert">
            <h2>{refused()?.title}</h2>
            <p>{refused()?.text}</p>
            <A class="btn secondary" href="/sessions">
              {t("room.page.back")}
            </A>
          </div>
        </Match>
        <Match when={entered()}>
          {(e) => <InRoom entered={e()} user={props.user} bookingId={props.id} onPhase={setPhase} onRejoin={() => setEntered()} onMoved={setMovedTo} />}
        </Match>
        <Match when={outsider()}>
          <div class="card narrow" role="alert" data-testid="room-refused">
            <h2>{t("room.page.cantJoin")}</h2>
            <p>{t("room.page.outsider")}</p>
            <A class="btn secondary" href="/sessions">
              {t("room.page.back")}
            </A>
          </div>
        </Match>
        <Match when={booking.loading}>
          <p class="muted" role="status">
            {t("room.page.checking")}
          </p>
        </Match>
        <Match when={closed()}>
          {(status) => (
            <div class="card narrow" role="status">
              <h2>{status() === "cancelled" ? t("room.page.wasCancelled") : t("room.page.hasEnded")}</h2>
              <A class="btn secondary" href="/sessions">
                {t("room.page.back")}
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

const PHASE_TEXT: Record<Call["state"]["phase"], PlainKey> = {
  connecting: "room.phase.connecting",
  connected: "room.phase.connected",
  reconnecting: "room.phase.reconnecting",
  ended: "room.phase.ended",
  replaced: "room.phase.replaced",
  left: "room.phase.left",
  removed: "room.phase.removed",
  failed: "room.phase.failed",
};

function InRoom(props: { entered: Entered; user: User; bookingId: string; onPhase(phase: CallPhase): void; onRejoin(): void; onMoved(to: { start: string; end: string }): void }) {
  const call = createCall({
    join: props.entered.join,
    stream: props.entered.stream,
    cameraId: props.entered.choice.cameraId,
    start: props.entered.start,
    rejoin: () => joinSession(props.bookingId),
  });
  const s = call.state;
  createEffect(() => props.onPhase(s.phase));
  // Moved while this room was open: the page's heading shows the new times too.
  createEffect(() => s.movedTo && props.onMoved({ ...s.movedTo }));
  const host = props.entered.join.role === "host";
  const live = () => s.phase === "connected" || s.phase === "reconnecting" || s.phase === "connecting";
  const canShareScreen = typeof navigator.mediaDevices?.getDisplayMedia === "function";
  const [view, setView] = createSignal<"video" | "board">("video");
  const [side, setSide] = createSignal<"chat" | "notes">("chat");
  const [speaking, setSpeaking] = createSignal<Record<string, string>>({});
  const [removing, setRemoving] = createSignal<{ userId: string; name: string }>();
  const speak = (userId: string, name: string) => (on: boolean) =>
    setSpeaking((all) => {
      if (!!all[userId] === on) return all;
      const next = { ...all };
      if (on) next[userId] = name;
      else delete next[userId];
      return next;
    });
  // The viewer is named with their language's word for "you", read when shown (the language can change mid-call).
  const speakers = () => Object.entries(speaking()).map(([userId, name]) => (userId === props.user.id ? t("room.live.you") : name));
  const unread = createUnread(() => s.chat.length, () => side() === "chat");

  const tiles = () => (
    <>
      <VideoTile
        stream={call.selfStream()}
        audioStream={call.micStream()}
        name={s.self?.name ?? props.user.name}
        self
        host={host}
        audio={s.mic}
        video={s.camera}
        screen={s.screen}
        userId={props.user.id}
        onSpeaking={speak(props.user.id, props.user.name)}
      />
      <For each={s.peers}>
        {(p) => (
          <VideoTile
            stream={p.stream}
            name={p.name}
            host={p.role === "host"}
            audio={p.audio}
            video={p.video}
            screen={p.screen}
            link={p.link}
            away={p.away}
            userId={p.userId}
            onSpeaking={speak(p.userId, p.name)}
            onMute={host && p.role !== "host" ? () => call.mute(p.userId) : undefined}
            onRemove={host && p.role !== "host" ? () => setRemoving({ userId: p.userId, name: p.name }) : undefined}
          />
        )}
      </For>
    </>
  );

  return (
    <Switch>
      <Match when={!live()}>
        <div class="card narrow room-over" role="status">
          <Switch>
            {/* Moved to another time while the room was open: not over, and nothing to summarise yet. */}
            <Match when={s.phase === "ended" && s.endedReason === "session_moved" && s.movedTo}>
              {(to) => (
                <div data-testid="room-moved">
                  <h2>{t("room.over.moved")}</h2>
                  <p>{t("room.over.movedTo", { time: formatDateTime(to().start, props.user.timezone) })}</p>
                  <p>
                    <A href={`/sessions/${props.bookingId}`}>{t("room.over.seeSession")}</A>
                  </p>
                </div>
              )}
            </Match>
            <Match when={s.phase === "ended"}>
              <h2>{t("room.over.ended")}</h2>
              <p>{s.endedReason === "ended_by_tutor" ? (host ? t("room.over.youEnded") : t("room.over.tutorEnded")) : (s.error ?? t("room.over.closed"))}</p>
              <Show
                when={host}
                fallback={<p class="muted">{t("room.over.later")}</p>}
              >
                <h3>{t("room.over.summaryTitle")}</h3>
                <SummaryEditor bookingId={props.bookingId} />
              </Show>
            </Match>
            <Match when={s.phase === "replaced"}>
              <h2>{t("room.over.replaced")}</h2>
              <p>{t("room.over.replacedBody")}</p>
            </Match>
            <Match when={s.phase === "left"}>
              <h2>{t("room.over.left")}</h2>
              <p>{t("room.over.leftBody")}</p>
            </Match>
            <Match when={s.phase === "removed"}>
              <h2>{t("room.over.removed")}</h2>
              <p>{s.removedReason === "seat_cancelled" ? t("room.over.seatCancelled") : (s.error ?? t("room.over.removedBody"))}</p>
            </Match>
            <Match when={s.phase === "failed"}>
              <h2>{t("room.over.failed")}</h2>
              <p>{s.error ?? t("room.over.lost")}</p>
            </Match>
          </Switch>
          <div class="row">
            <Show when={s.phase === "left" || s.phase === "failed" || s.phase === "replaced"}>
              <button type="button" class="btn" onClick={() => props.onRejoin()}>
                {t("room.over.rejoin")}
              </button>
            </Show>
            <A class="btn secondary" href="/sessions">
              {t("room.page.back")}
            </A>
          </div>
        </div>
      </Match>
      <Match when={live()}>
        <div class="room" data-provider={s.provider} data-view={view()}>
          <div class="room-status row tight">
            <span class="badge" classList={{ success: s.phase === "connected", warning: s.phase !== "connected" }} data-testid="room-status" role="status">
              {t(PHASE_TEXT[s.phase])}
            </span>
            <span class="muted small">
              {t("room.live.inRoom", { count: s.peers.length + 1 })}{s.provider === "realtimekit" ? " · Cloudflare Realtime" : ` · ${t("room.live.p2p")}`}
              <Show when={s.sending && s.sending.maxHeight < FULL_QUALITY.maxHeight && s.sending}>
                {(p) => (
                  <span data-testid="sending">
                    {" "}
                    · {t("room.live.sending", { height: p().maxHeight, fps: p().maxFramerate })}
                  </span>
                )}
              </Show>
            </span>
            <span class="speaking-now small" data-testid="speaking" aria-live="off">
              <Show when={speakers().length} fallback={<span class="muted">{t("room.live.nobody")}</span>}>
                <span class="speaking-dot" aria-hidden="true" />
                {t("room.live.speaking", { names: speakers().join(", ") })}
              </Show>
            </span>
            <span class="spacer" />
            <div class="room-tabs" role="tablist" aria-label={t("room.live.mainView")}>
              <button type="button" role="tab" aria-selected={view() === "video"} classList={{ on: view() === "video" }} onClick={() => setView("video")}>
                {t("room.live.video")}
              </button>
              <button type="button" role="tab" aria-selected={view() === "board"} classList={{ on: view() === "board" }} onClick={() => setView("board")}>
                {t("room.board.title")}
              </button>
            </div>
          </div>
          <Show when={s.mediaError}>
            <div class="alert warning" role="status">
              {s.mediaError}
            </div>
          </Show>
          <Show when={s.notice}>
            <div class="alert info row" role="status">
              <span class="grow">{s.notice}</span>
              <button type="button" class="btn small ghost" onClick={() => call.dismissNotice()}>
                {t("sessions.page.dismiss")}
              </button>
            </div>
          </Show>
          <div class="room-body">
            <div class="room-main">
              <Show
                when={view() === "board"}
                fallback={
                  <section class="stage" data-count={s.peers.length + 1} aria-label={t("room.live.participants")}>
                    {tiles()}
                    <Show when={!s.peers.length && s.phase === "connected"}>
                      <div class="tile tile-waiting">
                        <p>{host ? t("room.live.waitStudent") : t("room.live.waitTutor")}</p>
                      </div>
                    </Show>
                  </section>
                }
              >
                <section class="stage strip" aria-label={t("room.live.participants")}>
                  {tiles()}
                </section>
                <Whiteboard board={call.board} disabled={s.phase !== "connected"} />
              </Show>
            </div>
            <aside class="room-side">
              <div class="room-tabs side-tabs" role="tablist" aria-label={t("room.live.side")}>
                <button type="button" role="tab" aria-selected={side() === "chat"} classList={{ on: side() === "chat" }} onClick={() => setSide("chat")}>
                  {t("room.chat.title")}
                  <Show when={unread()}>
                    <span class="badge brand small-badge" aria-label={t("room.chat.unread", { count: unread() })}>
                      {unread()}
                    </span>
                  </Show>
                </button>
                <button type="button" role="tab" aria-selected={side() === "notes"} classList={{ on: side() === "notes" }} onClick={() => setSide("notes")}>
                  {t("room.notes.tab")}
                </button>
              </div>
              <Show when={side() === "notes"} fallback={<ChatPanel messages={s.chat} selfId={props.user.id} zone={props.user.timezone} disabled={s.phase !== "connected"} onSend={(text) => call.sendChat(text)} />}>
                <NotesPad notes={call.notes} disabled={s.phase !== "connected"} />
              </Show>
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
          <Dialog open={!!removing()} title={t("room.remove.title", { name: removing()?.name ?? "" })} onClose={() => setRemoving()}>
            <p>{t("room.remove.body")}</p>
            <div class="dialog-actions">
              <button type="button" class="btn secondary" onClick={() => setRemoving()}>
                {t("room.remove.keep")}
              </button>
              <button
                type="button"
                class="btn danger"
                onClick={() => {
                  const r = removing();
                  if (r) call.remove(r.userId);
                  setRemoving();
                }}
              >
                {t("room.remove.remove")}
              </button>
            </div>
          </Dialog>
        </div>
      </Match>
    </Switch>
  );
}

/** How many chat messages arrived while the chat was not showing. */
function createUnread(count: () => number, showing: () => boolean) {
  const [seen, setSeen] = createSignal(count());
  createEffect(() => showing() && setSeen(count()));
  return () => (showing() ? 0 : Math.max(0, count() - seen()));
}

/** The summary form right after the session, then a note that it was sent. */
function SummaryEditor(props: { bookingId: string }) {
  const [sent, setSent] = createSignal(false);
  return (
    <Show when={!sent()} fallback={<Notice message={t("room.over.summarySent")} />}>
      <SummaryForm bookingId={props.bookingId} onSaved={() => setSent(true)} />
    </Show>
  );
}
