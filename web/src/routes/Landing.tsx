import { A } from "@solidjs/router";
import { For } from "solid-js";

const SUBJECTS = ["Mathematics", "English", "Spanish", "Physics", "Computer science", "Japanese", "Chemistry", "French"];

export default function Landing() {
  return (
    <>
      <section class="hero">
        <div>
          <h1>Live tutoring that fits your week, in your time zone.</h1>
          <p class="lead">
            Subscribe to a monthly bundle of hours, pick a tutor whose free times overlap with yours, and meet in a video room right
            in your browser. 1:1 or small groups of up to 8.
          </p>
          <div class="row">
            <A class="btn" href="/tutors">
              Find a tutor
            </A>
            <A class="btn secondary" href="/signup">
              Create an account
            </A>
          </div>
        </div>
        <div class="hero-panel" aria-hidden="true">
          <strong>Priya Sharma · Python</strong>
          <div class="small">Free this week, shown in your zone</div>
          <div class="slot">
            <span>Tue 14:00</span>
            <span>60 min</span>
          </div>
          <div class="slot">
            <span>Wed 15:30</span>
            <span>60 min</span>
          </div>
          <div class="slot">
            <span>Thu 14:00</span>
            <span>Group · 3 of 6 seats</span>
          </div>
        </div>
      </section>
      <section class="stack">
        <h2>Popular subjects</h2>
        <div class="chips">
          <For each={SUBJECTS}>
            {(s) => (
              <A class="chip" href={`/tutors?subject=${encodeURIComponent(s.toLowerCase())}`}>
                {s}
              </A>
            )}
          </For>
        </div>
        <div class="features">
          <div class="card">
            <h3>No double booking, ever</h3>
            <p class="muted">Every tutor's time has a single source of truth; two people can never take the same slot.</p>
          </div>
          <div class="card">
            <h3>Times that survive DST</h3>
            <p class="muted">Availability is kept in the tutor's zone and shown in yours, correct on both sides of a clock change.</p>
          </div>
          <div class="card">
            <h3>Hours you can count on</h3>
            <p class="muted">Monthly credits, fair cancellation rules, and a full refund whenever a tutor cancels.</p>
          </div>
        </div>
      </section>
    </>
  );
}
