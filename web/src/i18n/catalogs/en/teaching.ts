/** English source catalog: teaching (availability). */
export default {
  profile: {
    offersTrials: "Offer trial lessons",
    offersTrialsHint: "New students can book one {duration} first lesson with you at {percent}% of your price ({credits} at your rate now).",
    photo: "Photo",
    photoHint: "A clear photo of your face helps students choose. JPEG, PNG or WebP; we resize it to 512 pixels.",
    choosePhoto: "Choose a photo…",
    replacePhoto: "Replace photo…",
    removePhoto: "Remove photo",
    uploading: "Uploading…",
    photoSaved: "Photo saved. It shows on your page and in search.",
    photoRemoved: "Photo removed. Your initial shows instead.",
    notAnImage: "That file is not a photo we can read. Choose a JPEG, PNG or WebP image.",
    yourPhoto: "Your photo",
    introVideo: "Intro video link (optional)",
    introVideoHint: "An https link to a short video of you on YouTube or Vimeo. Students see it as a link.",
  },
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
