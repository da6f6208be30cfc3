/** English source catalog: admin (the console's refund answers). */
export default {
  refund: {
    done: "Refunded {minutes} to {name}.",
    takenBack: "{minutes} went back to {name}'s wallet, but {taken} of it was taken again at once: the purchase it came from was refunded through Stripe or lost a dispute. {name}'s balance grew by {kept}.",
    onHold: "{minutes} of it is on hold while a dispute of its payment is open.",
    already: "Already refunded: {minutes} went back to {name} on {date}. Nothing more was given.",
    moved: "Not refunded: {name}'s credit paid for a replacement session with {tutor} on {date}.",
    movedSomewhere: "Not refunded: {name}'s credit paid for a replacement session with another tutor.",
    nothing: "Not refunded: this seat spent no credit.",
    anotherTutor: "another tutor",
    openReplacement: "Open the replacement session",
    stateTitle: "Nothing was refunded",
  },
} as const;
