import { describe, expect, it } from "vitest";
import { bookingIdFor, tutorOfBookingId } from "./bookingIds";

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
