import { describe, expect, it } from "vitest";
import canceledExample from "../../test/fixtures/calendly/invitee.canceled.calendly-openapi-example.json?raw";
import createdExample from "../../test/fixtures/calendly/invitee.created.calendly-openapi-example.json?raw";
import created2020 from "../../test/fixtures/calendly/invitee.created.hull-2020.json?raw";
import { type ScheduledEvent, blockOf, hostsOf, readDelivery } from "./webhook";

const FIXTURES: Record<string, string> = {
  "invitee.created.calendly-openapi-example.json": createdExample,
  "invitee.canceled.calendly-openapi-example.json": canceledExample,
  "invitee.created.hull-2020.json": created2020,
};
const fixture = (name: string): unknown => JSON.parse(FIXTURES[name]!);

const HOST = "https://api.calendly.com/users/HOSTHOSTHOST";
const current = (event: "invitee.created" | "invitee.canceled", extra: Record<string, unknown> = {}) => ({
  event,
  created_at: "2027-03-01T10:00:00.000000Z",
  created_by: "https://api.calendly.com/users/ADMIN",
  payload: {
    uri: "https://api.calendly.com/scheduled_events/EV1/invitees/INV1",
    status: event === "invitee.created" ? "active" : "canceled",
    scheduled_event: {
      uri: "https://api.calendly.com/scheduled_events/EV1",
      name: "30 Minute Meeting",
      start_time: "2027-03-02T09:00:00.000000Z",
      end_time: "2027-03-02T09:30:00.000000Z",
      event_memberships: [{ user: HOST }],
    },
    ...extra,
  },
});

describe("readDelivery", () => {
  it("reads the official invitee.created example: no embedded event, the subscriber as owner", () => {
    expect(readDelivery(fixture("invitee.created.calendly-openapi-example.json"))).toEqual({
      kind: "created",
      invitee: "https://api.calendly.com/scheduled_events/AAAAAAAAAAAAAAAA/invitees/AAAAAAAAAAAAAAAA",
      eventUri: "https://api.calendly.com/scheduled_events/AAAAAAAAAAAAAAAA",
      subscriber: "https://api.calendly.com/users/AAAAAAAAAAAAAAAA",
    });
  });

  it("reads the official invitee.canceled example", () => {
    expect(readDelivery(fixture("invitee.canceled.calendly-openapi-example.json"))).toMatchObject({
      kind: "canceled",
      invitee: "https://api.calendly.com/scheduled_events/AAAAAAAAAAAAAAAA/invitees/AAAAAAAAAAAAAAAA",
    });
  });

  it("reads a 2020 delivery with neither embedded event nor subscriber", () => {
    const change = readDelivery(fixture("invitee.created.hull-2020.json"));
    expect(change).toEqual({
      kind: "created",
      invitee: "https://api.calendly.com/scheduled_events/DDVRNUTABYGF4LO2/invitees/AHT4VZ5PQYFOSTFB",
      eventUri: "https://api.calendly.com/scheduled_events/DDVRNUTABYGF4LO2",
    });
    expect(hostsOf(change as { subscriber?: string })).toEqual([]);
  });

  it("reads a current delivery with the event and its hosts, and a reschedule's old invitee", () => {
    const change = readDelivery(current("invitee.created", { old_invitee: "https://api.calendly.com/scheduled_events/EV0/invitees/INV0" }));
    expect(change).toMatchObject({ kind: "created", invitee: "https://api.calendly.com/scheduled_events/EV1/invitees/INV1", replaces: "https://api.calendly.com/scheduled_events/EV0/invitees/INV0" });
    expect(hostsOf(change as never)).toEqual([HOST]);
    expect(blockOf("inv", (change as { event: ScheduledEvent }).event)).toEqual({ externalId: "inv", start: Date.parse("2027-03-02T09:00:00Z"), end: Date.parse("2027-03-02T09:30:00Z"), title: "30 Minute Meeting" });
  });

  it.each([
    ["another event kind", { event: "routing_form_submission.created", payload: {} }],
    ["a payload that is no invitee", { event: "invitee.created", payload: { uri: 7 } }],
    ["not an object", "invitee.created"],
  ])("ignores %s", (_, body) => {
    expect(readDelivery(body)).toMatchObject({ kind: "ignored" });
  });
});

describe("hostsOf", () => {
  it("prefers the event's hosts over the subscription's creator", () => {
    expect(hostsOf(readDelivery(current("invitee.canceled")) as never)).toEqual([HOST]);
  });
});
