/**
 * English, the source of the server's words: notices (inbox, push, email), account emails, message digests and
 * calendar invitations. Spanish and Arabic are `Translation`s of it (./es.ts, ./ar.ts); test/unit/catalogs.test.ts
 * checks they have exactly these keys and holes.
 */
export default {
  email: {
    hi: "Hi {name},",
    there: "there",
    /** To an address nobody there has confirmed yet: no name a stranger may have typed. */
    hello: "Hello,",
    signoff: "— Tutorly",
  },
  names: {
    yourStudent: "your student",
    yourTutor: "your tutor",
    aStudent: "A student",
    support: "Tutorly support",
    someone: "Someone",
  },
  notice: {
    paymentFailed: { title: "Your payment did not go through", body: "We could not charge your card for your Tutorly plan. Update your payment method to keep your monthly hours." },
    packPaymentFailed: {
      title: "Your pack payment did not go through",
      body: "Your bank payment for the pack ({credits}) did not go through, so no credit was added to your balance. To try again, buy the pack again on the Billing page: a card payment adds the credit at once.",
    },
    offersLive: { title: "Replacement tutors available", body: { one: "{count} tutor is free at that time.", other: "{count} tutors are free at that time." } },
    because: " Reason given: “{reason}”.",
    booked: { title: "New {subject} session with {name}", body: "{name} booked {subject} with you for {at}." },
    cancelled: {
      title: "{by} cancelled {subject}, {at}",
      body: "{by} cancelled your {subject} session of {at}.{because}",
      refunded: " The credits are back in your balance.",
    },
    leftGroup: {
      title: "{student} left your {subject} group, {at}",
      body: "{student} gave up their seat in your {subject} group session of {at}.{because}",
      seats: { one: " {taken} of {count} seat is taken now.", other: " {taken} of {count} seats are taken now." },
    },
    /** A student took a seat in the reader's (the tutor's) group session: who, and how full it is now. */
    groupJoined: {
      title: "{student} joined your {subject} group, {at}",
      body: "{student} took a seat in your {subject} group session of {at}.",
      seats: { one: " {taken} of {count} seat is taken now.", other: " {taken} of {count} seats are taken now." },
    },
    tutorNoShow: {
      title: "{tutor} didn't come to {subject}, {at}",
      body: "{tutor} never joined your {subject} session of {at}, so it was cancelled and the credits are back in your balance.",
    },
    rescheduled: { title: "{subject} moved to {at}", body: "{by} moved your {subject} session from {from} to {at}." },
    reminder: {
      title24h: "Coming up: {subject} with {name}, {at}",
      title1h: "In one hour: {subject} with {name}",
      body: "Your {subject} session with {name} starts {at}. Join from My sessions a few minutes before.",
      students: { one: "{count} student", other: "{count} students" },
    },
    tutorCancelled: {
      title: "{tutor} cancelled your {subject} session, {at}",
      body: "{tutor} cancelled your {subject} session of {at}.{because}",
      offers: {
        one: " We found {count} other {subject} tutor free at that exact time — pick one at no extra cost, or take your credits back.",
        other: " We found {count} other {subject} tutors free at that exact time — pick one at no extra cost, or take your credits back.",
      },
      /** A free trial's offers: the replacement stays the month's free trial, and declining gives the trial back. */
      offersTrial: {
        one: " We found {count} other {subject} tutor free at that exact time — pick one, still as your free trial, or take your free trial back.",
        other: " We found {count} other {subject} tutors free at that exact time — pick one, still as your free trial, or take your free trial back.",
      },
      refunded: " No other {subject} tutor is free then, so your {credits} is back in your balance.",
      /** A free trial's credit lapses: the trial itself comes back. */
      freeTrialBack: " No other {subject} tutor is free then, so your free trial is back: you can book a trial lesson again this month.",
    },
    refunded: {
      title: "Credits back: {subject}, {at}",
      declined: "You chose your credits back instead of a replacement tutor: {credits} for the {subject} session of {at} is in your balance again.",
      expired: "Nobody took the replacement offers for the {subject} session of {at} in time, so your {credits} is back in your balance.",
      priceChanged: "The tutor you chose for the {subject} session of {at} had raised their price since the offer, and nobody else was on it, so your {credits} is back in your balance.",
      tutorUnavailable: "The tutor you chose for the {subject} session of {at} was no longer free at that time, and nobody else was on it, so your {credits} is back in your balance.",
      tutorNotTeaching: "The tutor you chose for the {subject} session of {at} no longer teaches {subject}, and nobody else was on it, so your {credits} is back in your balance.",
      tutorGone: "The tutor you chose for the {subject} session of {at} no longer takes lessons on Tutorly, and nobody else was on it, so your {credits} is back in your balance.",
      /** The cancelled lesson was the month's free trial: its credit lapses, the trial itself comes back. */
      freeTrial: {
        title: "Free trial back: {subject}, {at}",
        declined: "You chose your free trial back instead of a replacement tutor for the {subject} session of {at}: you can book a trial lesson again this month.",
        expired: "Nobody took the replacement offers for the {subject} session of {at} in time, so your free trial is back: you can book a trial lesson again this month.",
        priceChanged: "The tutor you chose for the {subject} session of {at} had raised their price since the offer, and nobody else was on it, so your free trial is back: you can book a trial lesson again this month.",
        tutorUnavailable: "The tutor you chose for the {subject} session of {at} was no longer free at that time, and nobody else was on it, so your free trial is back: you can book a trial lesson again this month.",
        tutorNotTeaching: "The tutor you chose for the {subject} session of {at} no longer teaches {subject}, and nobody else was on it, so your free trial is back: you can book a trial lesson again this month.",
        tutorGone: "The tutor you chose for the {subject} session of {at} no longer takes lessons on Tutorly, and nobody else was on it, so your free trial is back: you can book a trial lesson again this month.",
      },
    },
    rebooked: { title: "Rebooked with {tutor}", body: "Your {subject} session of {at} is now with {tutor}, at no extra cost." },
    bookingConfirmed: {
      title: "You're booked: {subject} with {tutor}, {at}",
      session: "Your session {subject} with {tutor} is confirmed for {at}.",
      group: "Your seat in the group session {subject} with {tutor} is confirmed for {at}.",
      cost: " It cost {credits}.",
      paidByCancelled: " It was paid with the credits of your cancelled session.",
      freeTrial: " It is your free trial lesson of the month: nothing was taken from your balance.",
      join: " Join from My sessions a few minutes before; the attached invitation puts it in your calendar.",
      weekly: {
        one: "Your weekly {subject} lessons with {tutor} are booked: {count} week, from {at}.",
        other: "Your weekly {subject} lessons with {tutor} are booked: {count} weeks, from {at}.",
      },
      weeklyCost: " The first lesson cost {credits}; each later week's credits are taken {days} days before it.",
      joinWeekly: " Join each from My sessions a few minutes before; the attached invitation puts them all in your calendar.",
    },
    youCancelled: {
      title: "You cancelled {subject} with {tutor}, {at}",
      body: "You cancelled your {subject} session with {tutor} of {at}.",
      refunded: " Your {credits} is back in your balance.",
      notRefunded: " It was less than {hours} hours ahead, so the credits were not refunded.",
      freeTrialBack: " Your free trial is back: you can book a trial lesson again this month.",
      freeTrialUsed: " It was less than {hours} hours ahead, so it counts as this month's free trial.",
    },
    waitlistSeat: {
      title: "A seat is free for you: {subject}, {at}",
      body: "A seat opened in {tutor}'s {subject} group session of {at}, and you're first in line. It's held for you until {until}: take it before then or it goes to the next person in line. It costs {credits}, taken only when you take the seat.",
    },
    youRescheduled: {
      title: "{subject} with {tutor} moved to {at}",
      body: "You moved your {subject} session with {tutor} from {from} to {at}. The attached invitation updates your calendar.",
    },
    calendarConflict: {
      title: "Calendar conflict: {subject}, {at}",
      body: "\"{title}\" from {source} overlaps your {subject} session of {at}. Both are kept: move or cancel one of them.",
    },
    /** Why a weekly lesson went, told to the tutor in the slot of a reason (codes, not words: see renderNotice). */
    cause: {
      planPaused: " Their plan is paused, so this weekly lesson is skipped.",
      unpaid: " Their weekly lesson was not paid in time.",
      studentBusy: " They have another session at that time.",
      tutorNoShow: " The tutor did not join.",
      accountClosed: " The other person's account was closed.",
      paymentDisputed: " The card payment for its credits was disputed with the bank, so Tutorly cancelled it; those credits are on hold until the dispute is settled.",
    },
    weekReleased: {
      title: "{subject}, {at}: released",
      body: "{student}'s weekly {subject} lesson of {at} was released, and its time is free again in your calendar.{because}",
    },
    seriesPaused: {
      title: "Skipped while your plan is paused: {subject}, {at}",
      body: "You paused your plan, so your weekly {subject} lesson of {at} is skipped.",
      notCharged: " Nothing was charged for it.",
    },
    endedEarly: {
      title: "{subject} ended early, {at}",
      body: "Your {subject} session of {at} ended after {taught}. {credits} for the time not taught is back in your balance.",
      /** Ended inside its first minute: no minute was taught, and the whole price came back. */
      atOnce: "Your {subject} session of {at} ended within its first minute, so nothing was taught: all it cost ({credits}) is back in your balance.",
    },
    seriesBooked: {
      title: "Weekly {subject} with {name}",
      body: {
        one: "{name} booked {subject} with you every week for {count} week, starting {at}. Each lesson is in your schedule.",
        other: "{name} booked {subject} with you every week for {count} weeks, starting {at}. Each lesson is in your schedule.",
      },
    },
    seriesMoved: {
      title: "Weekly {subject} moved to {at}",
      body: {
        one: "{by} moved your weekly {subject} lessons from {from} on: {count} week now at the new time, starting {at}.",
        other: "{by} moved your weekly {subject} lessons from {from} on: {count} weeks now at the new time, starting {at}.",
      },
      byYou: {
        one: "You moved your weekly {subject} lessons from {from} on: {count} week now at the new time, starting {at}.",
        other: "You moved your weekly {subject} lessons from {from} on: {count} weeks now at the new time, starting {at}.",
      },
      kept: {
        one: " {count} week could not move and stays at the old time (see the series).",
        other: " {count} weeks could not move and stay at the old time (see the series).",
      },
    },
    seriesPaymentDue: {
      title: "Top up for {subject}, {at}",
      body: "Your weekly {subject} lesson of {at} costs {credits}, more than your balance. Add credits before {until} or the lesson is released.",
    },
    seriesReleased: {
      title: "{subject}, {at}: released",
      unpaid: "Your weekly {subject} lesson of {at} was released because it was still unpaid {hours} hours before. Nothing was charged; the rest of the series goes on.",
      studentBusy: "Your weekly {subject} lesson of {at} was released because you have another session then. Nothing was charged; the rest of the series goes on.",
    },
    seriesWeekSkipped: {
      title: "{subject}, {at}: not booked",
      body: "The week of {at} of your weekly {subject} lessons could not be booked: that time is taken in the tutor's calendar.",
      free: " Free that day: {times} ({zone}).",
      noneFree: " Nothing else is free that day.",
    },
    seriesWeekConflict: {
      title: "{subject}, {at}: your tutor has a conflict",
      body: "Something else came up in your tutor's calendar at the time of your weekly {subject} lesson of {at}. It stays booked for now: you can move it or cancel it.",
      free: " Times free that day: {times} ({zone}).",
    },
    summary: {
      title: "Summary of your {subject} session with {tutor}",
      body: "{tutor} wrote a summary of your {subject} session of {at}.",
      homework: "Homework:",
      where: "The notes and whiteboard pages are in My sessions.",
    },
  },
  invite: {
    title: "{subject} with {tutor}",
    groupTitle: "{subject} group with {tutor}",
    details: "Your Tutorly session with {tutor}. Join from {url} a few minutes before it starts.",
    cancelled: "Cancelled: {summary}",
    addToCalendar: "Add it to your calendar:",
    orOpen: "(or open the attached invite.ics)",
  },
  feed: {
    name: "Tutorly — {name}",
    tutorDescription: "Your Tutorly sessions as a tutor",
    description: "Your Tutorly sessions",
    groupTitle: "{subject} group ({present}/{seats})",
    withStudent: "{subject} with {name}",
    aStudent: "a student",
    students: "Students: {names}",
    noneYet: "none yet",
    tutor: "Tutor: {name}",
    wasCancelled: "This session was cancelled.",
    join: "Join: {link}",
  },
  digest: {
    subject: { one: "New message from {from}", other: "{count} new messages from {from}" },
    wrote: "{from} wrote to you on Tutorly:",
    earlier: { one: "(and {count} earlier)", other: "(and {count} earlier)" },
    reply: "Reply: {link}",
    why: "You get this email when a message stays unread for 15 minutes, at most once an hour per conversation. Turn it off in your notification settings: {link}",
  },
  account: {
    until: "The link works until {when}.",
    verify: {
      subject: "Confirm your email address",
      intro: "Welcome to Tutorly! Please confirm this is your email address:",
      after: "The link works until {when}. Until you confirm, you can look around and buy credits, but not book sessions.",
    },
    emailChange: {
      subject: "Confirm your new email address",
      intro: "You asked to use {email} for your Tutorly account. Confirm it here:",
      after: "The link works until {when}. Until then your old address stays in use.",
    },
    emailChangeNotice: {
      subject: "Your Tutorly email address is about to change",
      body: "On {when} someone signed in to your account asked to move it to {email}.",
      warn: "If this was not you, change your password now: nothing changes until the new address is confirmed.",
    },
    emailChanged: {
      subject: "Your Tutorly email address was changed",
      body: "On {when} your account moved to {email}. Emails now go there.",
      warn: "If this was not you, contact us by replying to this email.",
    },
    alreadyRegistered: {
      subject: "You already have a Tutorly account",
      body: "Someone (probably you) just tried to sign up with this email address, but you already have an account.",
      signIn: "Sign in: {link}",
      forgot: "Forgot your password? {link}",
      ignore: "If it was not you, you can ignore this email: nothing changed on your account.",
    },
    passwordReset: {
      subject: "Reset your Tutorly password",
      intro: "Someone asked to reset the password of your Tutorly account. Choose a new one here:",
      after: "The link works once, until {when}. If you did not ask, ignore this email: your password stays as it is.",
      choose: "Someone asked to reset a Tutorly password for this address. Nobody has confirmed the address yet, and these accounts were signed up with it, oldest first. Open the link of the account that is yours: it sets that account's password and confirms the address for it.",
      account: "{n}. “{name}”, {role}, signed up on {when}:",
      roles: { student: "student", tutor: "tutor", admin: "administrator" },
      notYours: "Anyone can sign up with any address, and the names are as they were typed: an account you do not recognise is someone else's, so leave its link alone. Once yours is confirmed, no other account can take this address.",
      chooseAfter: "Each link works once, until {when}. If you did not ask, ignore this email: nothing changes.",
    },
    passwordChanged: {
      subject: "Your Tutorly password was changed",
      body: "Your password was changed on {when}, and other devices were signed out.",
      warn: "If this was not you, reset it now: {link}",
    },
    adminInvite: {
      subject: "You are invited to run Tutorly",
      intro: "{by} invited you to be an administrator of Tutorly. Create your admin account here:",
      after: "The link works once, until {when}.",
    },
    suspended: {
      subject: "Your Tutorly account is suspended",
      body: "Your account was suspended on {when}: {reason}",
      after: "You are signed out everywhere. Reply to this email if you think this is a mistake.",
      billingPaused: "While your account is suspended, your plan's billing is paused: you will not be charged, and it does not renew. If your account is restored, it bills again as before.",
    },
    restored: { subject: "Your Tutorly account is active again", body: "Your account was restored on {when}. You can sign in again." },
    deleted: {
      subject: "Your Tutorly account was deleted",
      body: "Your account was deleted on {when}.",
      cancelled: { one: " {count} upcoming session was cancelled first.", other: " {count} upcoming sessions were cancelled first." },
      kept: "Your personal data is erased; records the law requires (payments, credits, earnings) are kept without your name.",
    },
  },
} as const;
