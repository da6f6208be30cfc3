/** English source catalog: billing (credits, plans and packs, the credit summary). */
export default {
  summary: {
    title: "Your credits",
    loadFailed: "Couldn't load your credits.",
    left: "of tutoring time left",
    expires: "{amount} expire on {date}",
    promoExpires: "{amount} promotional expire on {date}",
    policy: "Credits and policy",
    plans: "Plans and packs",
  },
  lot: {
    promo: "Promotional credit",
    grant: "Plan or pack",
    adjustment: "Adjustment",
    promoBadge: "Promotional",
    onHold: "On hold",
    onHoldTitle: "The payment for this credit is disputed; it can be used again if the dispute is settled in your favour.",
  },
} as const;
