/** English source catalog: teaching. */
export default {
  profile: {
    offersTrials: "Offer trial lessons",
    offersTrialsHint: "New students can book one {duration} first lesson with you at {percent}% of your price ({credits} at your rate now).",
  },
} as const;
