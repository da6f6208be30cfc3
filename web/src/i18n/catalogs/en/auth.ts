/** English source catalog: signing in and up, and the account's mailed links. */
export default {
  fields: {
    email: "Email",
    password: "Password",
    name: "Name",
    timezone: "Time zone",
  },
  login: {
    title: "Log in",
    intro: "Welcome back to Tutorly.",
    submit: "Log in",
    submitting: "Logging in…",
    newHere: "New here?",
    createAccount: "Create an account",
    forgot: "Forgot your password?",
  },
  signup: {
    title: "Create your account",
    intro: "Learn with a tutor, or teach on Tutorly.",
    submit: "Create account",
    submitting: "Creating account…",
    haveAccount: "Already have an account?",
    logIn: "Log in",
    iWantTo: "I want to",
    learn: "Learn",
    learnHint: "Book sessions with tutors",
    teach: "Teach",
    teachHint: "Publish hours and get paid",
    passwordHint: "At least 8 characters.",
    timezoneHint: "Detected from your browser; times are shown in this zone.",
  },
} as const;
