/** English source catalog: teaching (the tutor's home and profile, availability, earnings, calendar sync). */
export default {
  home: {
    welcome: "Welcome, {name}",
    scheduleIn: "Your schedule is kept in {zone}.",
    waiting: "Your profile is waiting for approval. Students can find and book you once an admin approves it.",
    approved: "You are approved and listed in search.",
    profile: "Your profile",
    about: "About you",
    subjects: "Subjects",
    subjectsHint: "Comma separated, e.g. mathematics, physics",
    rate: "Hourly rate (USD)",
    zone: "Your time zone",
    saving: "Saving…",
    save: "Save profile",
    saved: "Saved.",
    pays: "Students pay {rate}; at the standard credit value you earn {earns} of each hour after the platform's {commission} commission.",
    allowed: "Allowed: {min}–{max}. A new rate applies to new bookings only.",
    noneBooked: "No sessions booked yet.",
    publicPage: "View my public page",
  },
} as const;
