import { newApp } from "../../app";
import { feedRoutes } from "./feedRoutes";

/** Everything calendar interoperability adds under /api (feeds, Calendly, outside calendars). */
export const calendarSyncRoutes = newApp().route("/", feedRoutes);
