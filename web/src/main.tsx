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
const CalendarSync = lazy(() => import("./routes/CalendarSync"));

render(
  () => (
    <Router root={Layout}>
      <Route path="/" component={Landing} />
      <Route path="/login" component={Login} />
      <Route path="/signup" component={Signup} />
      <Route path="/dashboard" component={Dashboard} />
      <Route
        path="/admin"
        component={() => (
          <Guard roles={["admin"]}>
            <Admin />
          </Guard>
        )}
      />
      <Route path="/calendar-sync" component={CalendarSync} />
      <Route path="*404" component={NotFound} />
    </Router>
  ),
  document.getElementById("root")!,
);
