/** English source catalog: billing. */
export default {
  pause: {
    title: "Pause your plan",
    intro: "Away for a while? Pause for 1 to 4 weeks, once per billing period. Your renewal and the expiry of your credits move by the pause, and weekly lessons in those weeks are skipped (not charged; your tutors are told).",
    weeksLabel: "Pause for",
    weeks: { one: "{count} week", other: "{count} weeks" },
    action: "Pause plan",
    pending: "Pausing…",
    pausedUntil: "Paused until {until}.",
    renewsAfter: "Your plan renews on {renewal}.",
    resume: "Resume now",
    resuming: "Resuming…",
    resumeHint: "Resuming early moves your dates only by the time you were paused.",
    used: "You paused this billing period already (until {until}); you can pause again after your renewal.",
    unavailable: "A plan that is changing or ending at the renewal cannot be paused.",
    done: "Paused until {until}. Your plan now renews on {renewal}.",
    resumed: "Welcome back. Your plan renews on {renewal}.",
  },
} as const;
