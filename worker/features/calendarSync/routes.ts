import { newApp } from "../../app";
import { calendlyRoutes } from "./calendlyRoutes";
import { conflictRoutes } from "./conflictRoutes";
import { externalRoutes } from "./externalRoutes";
import { feedRoutes } from "./feedRoutes";

/** Everything calendar interoperability adds under /api (feeds, Calendly, outside calendars). */
export const calendarSyncRoutes = newApp().route("/", feedRoutes).route("/", calendlyRoutes).route("/", conflictRoutes).route("/", externalRoutes);
