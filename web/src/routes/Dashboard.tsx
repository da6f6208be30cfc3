import { Match, Switch, lazy } from "solid-js";
import { Guard } from "../components/Guard";
import { session } from "../lib/session";

const StudentHome = lazy(() => import("./dashboard/StudentHome"));
const TutorHome = lazy(() => import("./dashboard/TutorHome"));
const Admin = lazy(() => import("./Admin"));

/** The first page after signing in, one per role. */
export default function Dashboard() {
  return (
    <Guard>
      <Switch>
        <Match when={session.user()?.role === "student"}>
          <StudentHome user={session.user()!} />
        </Match>
        <Match when={session.user()?.role === "tutor"}>
          <TutorHome user={session.user()!} />
        </Match>
        <Match when={session.user()?.role === "admin"}>
          <Admin />
        </Match>
      </Switch>
    </Guard>
  );
}
