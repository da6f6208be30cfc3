import { A } from "@solidjs/router";

export default function NotFound() {
  return (
    <div class="card narrow">
      <h1>Page not found</h1>
      <p class="muted">That page does not exist.</p>
      <A class="btn" href="/">
        Go home
      </A>
    </div>
  );
}
