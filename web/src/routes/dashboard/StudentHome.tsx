import { A } from "@solidjs/router";
import type { User } from "../../../../domain/schemas/auth";

export default function StudentHome(props: { user: User }) {
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Hi {props.user.name.split(" ")[0]} 👋</h1>
          <p>Times are shown in {props.user.timezone.replace(/_/g, " ")}.</p>
        </div>
        <A class="btn" href="/tutors">
          Find a tutor
        </A>
      </div>
      <div class="grid">
        <div class="card">
          <h2>Your next sessions</h2>
          <p class="muted">Sessions you book appear here, with a join button when they start.</p>
        </div>
        <div class="card">
          <h2>Get started</h2>
          <ol class="muted">
            <li>Find a tutor whose hours overlap with yours.</li>
            <li>Book a 1:1 slot or join a small group.</li>
            <li>Meet in the browser at the booked time.</li>
          </ol>
        </div>
      </div>
    </>
  );
}
