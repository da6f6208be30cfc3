import { Route, Router } from "@solidjs/router";
import { createEffect, createRoot } from "solid-js";
import { render } from "solid-js/web";
import { Guard } from "./components/Guard";
import { Layout } from "./components/Layout";
import { adoptAccountLocale, bindDocument, lazyRoute, need, ready } from "./i18n";
import { session } from "./lib/session";
import Landing from "./routes/Landing";
import "./styles.css";

const Login = lazyRoute(() => import("./routes/Login"), "auth");
const Signup = lazyRoute(() => import("./routes/Signup"), "auth");
const Dashboard = lazyRoute(() => import("./routes/Dashboard"), "sessions", "teaching", "billing");
const Admin = lazyRoute(() => import("./routes/Admin"), "admin", "sessions");
const NotFound = lazyRoute(() => import("./routes/NotFound"));
const Tutors = lazyRoute(() => import("./routes/Tutors"));
const TutorProfile = lazyRoute(() => import("./routes/TutorProfile"));
const Sessions = lazyRoute(() => import("./routes/Sessions"), "sessions", "billing", "room");
const Availability = lazyRoute(() => import("./routes/Availability"), "teaching");
const Credits = lazyRoute(() => import("./routes/Credits"), "billing");
const SessionRoom = lazyRoute(() => import("./routes/SessionRoom"), "room");
const SessionDetail = lazyRoute(() => import("./routes/SessionDetail"), "sessions");
const Series = lazyRoute(() => import("./routes/Series"), "sessions");
const MyTutors = lazyRoute(() => import("./routes/MyTutors"), "sessions");
const GroupWaitlist = lazyRoute(() => import("./routes/GroupWaitlist"), "sessions");
const Billing = lazyRoute(() => import("./routes/Billing"), "billing");
const Receipt = lazyRoute(() => import("./routes/Receipt"), "billing");
const LocalCheckout = lazyRoute(() => import("./routes/LocalCheckout"), "billing");
const Earnings = lazyRoute(() => import("./routes/Earnings"), "teaching", "sessions", "room");
const Notifications = lazyRoute(() => import("./routes/Notifications"), "account");
const DevMailbox = lazyRoute(() => import("./routes/DevMailbox"), "admin");
const CalendarSync = lazyRoute(() => import("./routes/CalendarSync"), "teaching");
const Messages = lazyRoute(() => import("./routes/Messages"), "messages");
const NotificationSettings = lazyRoute(() => import("./routes/NotificationSettings"), "account");
const Account = lazyRoute(() => import("./routes/Account"), "account");
const ForgotPassword = lazyRoute(() => import("./routes/ForgotPassword"), "auth");
const ResetPassword = lazyRoute(() => import("./routes/ResetPassword"), "auth");
const VerifyEmail = lazyRoute(() => import("./routes/VerifyEmail"), "auth");
const AcceptInvite = lazyRoute(() => import("./routes/AcceptInvite"), "auth");

// The words come before the first paint (no flash of another language); <html lang dir> follow the language,
// and a signed-in account's stored language wins over the browser's.
bindDocument();
createRoot(() =>
  createEffect(() => {
    const u = session.user();
    if (u) void adoptAccountLocale(u.locale);
  }),
);
// No top-level await: the entry stays one chunk the routes can share.
void ready().then(() =>
  render(
    () => (
      <Router root={Layout}>
        <Route path="/" component={Landing} />
        <Route path="/login" component={Login} />
        <Route path="/signup" component={Signup} />
        <Route path="/forgot-password" component={ForgotPassword} />
        <Route path="/reset-password" component={ResetPassword} />
        <Route path="/verify-email" component={VerifyEmail} />
        <Route path="/accept-invite" component={AcceptInvite} />
        <Route path="/account" component={Account} />
        <Route path="/dashboard" component={Dashboard} />
        <Route path="/tutors" component={Tutors} />
        <Route path="/tutors/:id" component={TutorProfile} />
        <Route path="/sessions" component={Sessions} />
        <Route path="/sessions/:id" component={SessionDetail} />
        <Route path="/sessions/:id/room" component={SessionRoom} />
        <Route path="/series/:id" component={Series} />
        <Route path="/my-tutors" component={MyTutors} />
        <Route path="/groups/:id" component={GroupWaitlist} />
        <Route path="/availability" component={Availability} />
        <Route path="/credits" component={Credits} />
        <Route path="/billing" component={Billing} />
        <Route path="/billing/checkout/:id" component={LocalCheckout} />
        <Route path="/billing/receipts/:id" component={Receipt} />
        <Route path="/earnings" component={Earnings} />
        <Route path="/notifications" component={Notifications} />
        <Route path="/dev/mailbox" component={DevMailbox} />
        <Route
          path="/admin/:section?"
          component={() => (
            <Guard roles={["admin"]}>
              <Admin />
            </Guard>
          )}
        />
        <Route path="/calendar-sync" component={CalendarSync} />
        <Route path="/messages/:id?" component={Messages} />
        <Route path="/settings/notifications" component={NotificationSettings} />
        <Route path="*404" component={NotFound} />
      </Router>
    ),
    document.getElementById("root")!,
  ),
);
// What the server's refusals say in the viewer's language (web/src/lib/api.ts) arrives right after the first paint.
void ready().then(() => need("errors"));

// Installable and usable offline read-only, with push notifications (web/src/sw/sw.ts, built into /sw.js).
if ("serviceWorker" in navigator && import.meta.env.PROD) void navigator.serviceWorker.register("/sw.js").catch(() => undefined);
