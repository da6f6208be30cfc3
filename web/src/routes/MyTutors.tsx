import { A } from "@solidjs/router";
import { For, Match, Switch } from "solid-js";
import type { User } from "../../../domain/schemas/auth";
import { ErrorAlert } from "../components/Alert";
import { Guard } from "../components/Guard";
import { RebookCard } from "../components/RebookCard";
import { createMyTutors } from "../features/rebook/rebook";
import { t } from "../i18n";
import { session } from "../lib/session";
import { zoneLabel } from "../lib/time";

/** `/my-tutors`: the tutors a student has had lessons with, each bookable again at the same time next week in one click. */
export default function MyTutors() {
  return (
    <Guard roles={["student"]}>
      <MyTutorsPage user={session.user()!} />
    </Guard>
  );
}

function MyTutorsPage(props: { user: User }) {
  const { tutors, refetch } = createMyTutors();
  const zone = () => props.user.timezone;
  return (
    <div class="stack">
      <div class="page-head">
        <div>
          <h1>{t("sessions.rebook.title")}</h1>
          <p>{t("sessions.rebook.intro", { zone: zoneLabel(zone()) })}</p>
        </div>
      </div>
      <Switch>
        <Match when={tutors.error && !tutors.latest}>
          <ErrorAlert message={t("sessions.rebook.loadFailed")} />
        </Match>
        <Match when={tutors.latest?.length === 0}>
          <div class="card narrow" data-testid="my-tutors-none">
            <p>{t("sessions.rebook.none")}</p>
            <A class="btn" href="/tutors">
              {t("sessions.rebook.findTutor")}
            </A>
          </div>
        </Match>
        <Match when={tutors.latest}>
          {(list) => (
            <div class="grid rebook-grid" data-testid="my-tutors">
              <For each={list()}>{(card) => <RebookCard card={card} zone={zone()} onChanged={refetch} />}</For>
            </div>
          )}
        </Match>
        <Match when={tutors.loading}>
          <p class="muted" role="status">
            {t("sessions.rebook.loading")}
          </p>
        </Match>
      </Switch>
    </div>
  );
}
