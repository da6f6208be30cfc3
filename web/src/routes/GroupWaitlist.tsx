import { A, useParams } from "@solidjs/router";
import { Match, Show, Switch, createSignal } from "solid-js";
import type { User } from "../../../domain/schemas/auth";
import { WAITLIST_POLICY } from "../../../domain/waitlist";
import { ErrorAlert, Notice } from "../components/Alert";
import { Button } from "../components/Button";
import { Guard } from "../components/Guard";
import { bookingErrorText, newIdempotencyKey } from "../features/bookings/bookings";
import { isMissing } from "../features/bookings/detail";
import { type WaitlistPlace, type WaitlistSession, createWaitlist, joinWaitlist, leaveWaitlist, takeSeat } from "../features/waitlist/waitlist";
import { t } from "../i18n";
import { createAction } from "../lib/action";
import { formatCredits, subjectLabel } from "../lib/format";
import { session as signedIn } from "../lib/session";
import { formatDateTime, formatTime, zoneLabel } from "../lib/time";

/** `/groups/:id`: a group session and the student's place in its waitlist — join, leave, or take the seat held for them. */
export default function GroupWaitlist() {
  const params = useParams<{ id: string }>();
  return (
    <Guard roles={["student"]}>
      <WaitlistView id={params.id} user={signedIn.user()!} />
    </Guard>
  );
}

function WaitlistView(props: { id: string; user: User }) {
  const { view, refetch, setPlace } = createWaitlist(() => props.id);
  return (
    <Switch>
      <Match when={isMissing(view.error)}>
        <div class="card narrow" data-testid="waitlist-missing">
          <p>{t("sessions.waitlist.missing")}</p>
        </div>
      </Match>
      <Match when={view.error && !view.latest}>
        <ErrorAlert message={bookingErrorText(view.error)} />
      </Match>
      <Match when={view.latest}>{(v) => <WaitlistBody session={v().session} place={v().waitlist} zone={props.user.timezone} onPlace={setPlace} refetch={refetch} />}</Match>
      <Match when={view.loading}>
        <p class="muted" role="status">
          {t("sessions.waitlist.loading")}
        </p>
      </Match>
    </Switch>
  );
}

function WaitlistBody(props: { session: WaitlistSession; place: WaitlistPlace; zone: string; onPlace: (p: WaitlistPlace) => void; refetch: () => void }) {
  const s = () => props.session;
  const p = () => props.place;
  const price = () => formatCredits(s().creditsMinutes);
  const [note, setNote] = createSignal<string>();
  // One key per intent: a double click or a retry joins or books once.
  let joinKey = newIdempotencyKey();
  let seatKey = newIdempotencyKey();
  const join = createAction(async () => {
    setNote(undefined);
    props.onPlace(await joinWaitlist(s().id, joinKey));
    joinKey = newIdempotencyKey();
  }, { errorText: bookingErrorText });
  const leave = createAction(async () => {
    setNote(undefined);
    props.onPlace(await leaveWaitlist(s().id));
    setNote(t("sessions.waitlist.left"));
  }, { errorText: bookingErrorText });
  const take = createAction(async () => {
    setNote(undefined);
    try {
      await takeSeat(s(), seatKey);
      seatKey = newIdempotencyKey();
      setNote(t("sessions.waitlist.taken"));
    } finally {
      props.refetch();
    }
  }, { errorText: bookingErrorText });
  const open = () => s().status === "open";
  const full = () => s().seatsTaken >= s().seats;

  return (
    <div class="stack narrow-page">
      <div class="page-head">
        <div>
          <h1>{t("sessions.waitlist.title", { subject: subjectLabel(s().subject), tutor: s().tutorName ?? "" })}</h1>
          <p>{t("sessions.waitlist.when", { when: `${formatDateTime(s().start, props.zone)} – ${formatTime(s().end, props.zone)}`, zone: zoneLabel(props.zone, s().start) })}</p>
        </div>
      </div>
      <section class="card stack" aria-labelledby="waitlist-state" data-testid="waitlist" data-status={p().status}>
        <p class="small muted">{t("sessions.waitlist.seats", { taken: s().seatsTaken, count: s().seats, price: price() })}</p>
        <Switch>
          <Match when={p().status === "seated"}>
            <p id="waitlist-state">{t("sessions.waitlist.seated")}</p>
            <A class="btn secondary" href={`/sessions/${encodeURIComponent(s().id)}`}>
              {t("sessions.waitlist.seeSession")}
            </A>
          </Match>
          <Match when={!open()}>
            <p id="waitlist-state">{t("sessions.waitlist.closed")}</p>
          </Match>
          <Match when={p().status === "offered"}>
            <p id="waitlist-state" class="alert info" role="status">
              {t("sessions.waitlist.held", { time: formatDateTime(p().offerUntil ?? s().start, props.zone) })}
            </p>
            <div class="row">
              <Button pending={take.pending()} onClick={() => void take.run()} data-testid="take-held-seat">
                {t("sessions.waitlist.takeHeld", { price: price() })}
              </Button>
              <Button variant="secondary" pending={leave.pending()} onClick={() => void leave.run()}>
                {t("sessions.waitlist.leave")}
              </Button>
            </div>
          </Match>
          <Match when={p().status === "waiting"}>
            <p id="waitlist-state" data-testid="waitlist-position">
              {t("sessions.waitlist.position", { count: p().position ?? 1 })}
            </p>
            <div>
              <Button variant="secondary" pending={leave.pending()} onClick={() => void leave.run()}>
                {t("sessions.waitlist.leave")}
              </Button>
            </div>
          </Match>
          <Match when={!full()}>
            <p id="waitlist-state">{t("sessions.waitlist.free")}</p>
            <div>
              <Button pending={take.pending()} onClick={() => void take.run()}>
                {t("sessions.waitlist.takeSeat", { price: price() })}
              </Button>
            </div>
          </Match>
          <Match when={full()}>
            <p id="waitlist-state">{t("sessions.waitlist.full")}</p>
            <div>
              <Button pending={join.pending()} onClick={() => void join.run()} data-testid="join-waitlist">
                {t("sessions.waitlist.join")}
              </Button>
            </div>
          </Match>
        </Switch>
        <Notice message={note()} />
        <ErrorAlert message={join.error() ?? leave.error() ?? take.error()} />
        <Show when={open() && p().status !== "seated"}>
          <p class="small muted">{t("sessions.waitlist.policy", { minutes: WAITLIST_POLICY.holdMinutes })}</p>
        </Show>
      </section>
    </div>
  );
}
