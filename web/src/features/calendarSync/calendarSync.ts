import { api, call } from "../../lib/api";

/** Data for the "Calendar sync" page: the feed URL, Calendly, outside calendars and their conflicts. */

export type Feed = { url: string; webcalUrl: string; rotatedAt: string | null };

/** The signed-in user's secret feed URL (created on first ask). */
export const fetchFeed = async (): Promise<Feed> => call(api.me["calendar-feed"].$get());
/** A new feed URL; the old one stops working. */
export const rotateFeed = async (): Promise<Feed> => call(api.me["calendar-feed"].rotate.$post());

export const fetchCalendlyLink = async () => (await call(api.tutors.me.calendly.$get())).link;
/** Links the Calendly user a personal access token belongs to (the server checks it with Calendly). */
export const linkCalendly = async (token: string) => (await call(api.tutors.me.calendly.$put({ json: { token } }))).link;
export const unlinkCalendly = async () => {
  await call(api.tutors.me.calendly.$delete());
};

export type OutsideCalendar = Awaited<ReturnType<typeof fetchOutsideCalendars>>[number];
export const fetchOutsideCalendars = async () => (await call(api.tutors.me["external-calendars"].$get())).calendars;
export const addOutsideCalendar = async (json: { url: string; label?: string }) =>
  (await call(api.tutors.me["external-calendars"].$post({ json }, { headers: { "Idempotency-Key": crypto.randomUUID() } }))).calendar;
export const syncOutsideCalendar = async (id: string) => (await call(api.tutors.me["external-calendars"][":id"].sync.$post({ param: { id } }))).calendar;
export const removeOutsideCalendar = async (id: string) => {
  await call(api.tutors.me["external-calendars"][":id"].$delete({ param: { id } }));
};

export type Conflict = Awaited<ReturnType<typeof fetchConflicts>>[number];
export const fetchConflicts = async () => (await call(api.tutors.me["calendar-conflicts"].$get())).conflicts;
export const dismissConflict = async (id: string) => {
  await call(api.tutors.me["calendar-conflicts"][":id"].dismiss.$post({ param: { id } }));
};
