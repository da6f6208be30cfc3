import type { User } from "../../../domain/schemas/auth";
import type { Series } from "../../../domain/schemas/series";
import { forViewer } from "../bookings/shape";

/** A series as `viewer` may see it: each occurrence shaped like any booking (a student never sees the earning). */
export const seriesForViewer = (s: Series, viewer: Pick<User, "id" | "role">): Series => ({ ...s, occurrences: s.occurrences.map((b) => forViewer(b, viewer)) });
