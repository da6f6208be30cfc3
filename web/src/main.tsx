import { Route, Router } from "@solidjs/router";
import { lazy } from "solid-js";
import { render } from "solid-js/web";
import { Guard } from "./components/Guard";
import { Layout } from "./components/Layout";
import Landing from "./routes/Landing";
import "./styles.css";

const Login = lazy(() => import("./routes/Login"));
const Signup = lazy(() => import("./routes/Signup"));
const Dashboard = lazy(() => import("./routes/Dashboard"));
const Admin = lazy(() => import("./routes/Admin"));
const NotFound = lazy(() => import("./routes/NotFound"));
const Tutors = lazy(() => import("./routes/Tutors"));
const TutorProfile = lazy(() => import("./routes/TutorProfile"));
const Sessions = lazy(() => import("./routes/Sessions"));
const Availability = lazy(() => import("./routes/Availability"));
const Credits = lazy(() => import("./routes/Credits"));
const SessionRoom = lazy(() => import("./routes/SessionRoom"));
const SessionDetail = lazy(() => import("./routes/SessionDetail"));
const Billing = lazy(() => import("./routes/Billing"));
const LocalCheckout = lazy(() => import("./routes/LocalCheckout"));
const Earnings = lazy(() => import("./routes/Earnings"));
const Notifications = lazy(() => import("./routes/Notifications"));
const DevMailbox = lazy(() => import("./routes/DevMailbox"));
const CalendarSync = lazy(() => import("./routes/CalendarSync"));
const Messages = lazy(() => import("./routes/Messages"));
const NotificationSettings = lazy(() => import("./routes/NotificationSettings"));
const Account = lazy(() => import("./routes/Account"));
const ForgotPassword = lazy(() => import("./routes/ForgotPassword"));
const ResetPassword = lazy(() => import("./routes/ResetPassword"));
const VerifyEmail = lazy(() => import("./routes/VerifyEmail"));
const AcceptInvite = lazy(() => import("./routes/AcceptInvite"));

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
      <Route path="/availability" component={Availability} />
      <Route path="/credits" component={Credits} />
      <Route path="/billing" component={Billing} />
      <Route path="/billing/checkout/:id" component={LocalCheckout} />
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
);

// Installable and usable offline read-only, with push notifications (web/src/sw/sw.ts, built into /sw.js).
if ("serviceWorker" in navigator && import.meta.env.PROD) void navigator.serviceWorker.register("/sw.js").catch(() => undefined);
