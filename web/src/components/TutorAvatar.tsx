import { Show } from "solid-js";

/**
 * A tutor's photo, or their initial when they have none (the demo tutors, anyone who has not uploaded one).
 * Decorative: the name is always written beside it.
 */
export function TutorAvatar(props: { name: string; photoUrl: string | null; large?: boolean }) {
  const size = () => (props.large ? 96 : 48);
  return (
    <Show
      when={props.photoUrl}
      fallback={
        <div class={props.large ? "avatar large" : "avatar"} aria-hidden="true">
          {props.name.charAt(0)}
        </div>
      }
    >
      {(src) => <img class={props.large ? "avatar photo large" : "avatar photo"} src={src()} alt="" width={size()} height={size()} loading="lazy" decoding="async" />}
    </Show>
  );
}
