import { describe, expect, it } from "vitest";
import { bookingIdFor, occurrenceIdFor, seriesIdFor, seriesOfBookingId, tutorOfBookingId } from "./bookingIds";

describe("booking ids", () => {
  it("carry their tutor", () => {
    const id = bookingIdFor("8c1d2f0e-1111-4222-8333-944445555666", "0a1b2c3d4e5f");
    expect(id).toBe("8c1d2f0e-1111-4222-8333-944445555666~0a1b2c3d4e5f");
    expect(tutorOfBookingId(id)).toBe("8c1d2f0e-1111-4222-8333-944445555666");
  });
  it.each(["8c1d2f0e-1111-4222-8333-944445555666", "~abc", "abc~", ""])("name no tutor in %j", (id) => {
    expect(tutorOfBookingId(id)).toBeNull();
  });
});

describe("series ids", () => {
  it("names its tutor, and each occurrence names its series", () => {
    const series = seriesIdFor("tutor-1", "1234-abcd");
    expect(series).toBe("tutor-1~s1234-abcd");
    expect(tutorOfBookingId(series)).toBe("tutor-1");
    const third = occurrenceIdFor(series, 3);
    expect(tutorOfBookingId(third)).toBe("tutor-1");
    expect(seriesOfBookingId(third)).toBe(series);
  });
  it("finds no series in a single booking's id", () => {
    expect(seriesOfBookingId(bookingIdFor("tutor-1", "1234-abcd"))).toBeNull();
    expect(seriesOfBookingId("plain-id")).toBeNull();
  });
});
