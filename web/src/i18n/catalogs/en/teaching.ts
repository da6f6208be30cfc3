/** English source catalog: teaching (availability). */
export default {
  availability: {
    coveredTitle: { one: "A booked session falls on the dates you are changing", other: "{count} booked sessions fall on the dates you are changing" },
    coveredHelp: "Keep your hours, or cancel these sessions: each student is offered other tutors who are free at the same time, or gets their credits back.",
    coveredList: "Sessions in the way, times in {zone}",
    reason: "Reason, sent to the students (optional)",
    confirm: { one: "Cancel the session and save", other: "Cancel {count} sessions and save" },
    keep: "Keep my sessions",
    cancelledSaved: { one: "The session was cancelled and its students were told.", other: "{count} sessions were cancelled and their students were told." },
  },
} as const;
