/** English source catalog: billing. */
export default {
  free: {
    trial: "One free {duration} trial lesson a month with any tutor who offers trials",
    packs: "Buy packs of extra hours any time",
    adds: "{plan} adds {hours} of tutoring a month ({perHour} an hour)",
  },
} as const;
