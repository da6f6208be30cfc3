import type { TutorProfileInput } from "../../../../domain/schemas/tutor";
import { api, call } from "../../lib/api";

/** The signed-in tutor's own profile. */
export const fetchMyProfile = async () => (await call(api.tutors.me.profile.$get())).tutor;
/** The profile with the hourly rates an admin allows (the profile form shows them). */
export const fetchMyProfileForm = async () => call(api.tutors.me.profile.$get());
export const saveMyProfile = async (json: TutorProfileInput) => (await call(api.tutors.me.profile.$put({ json }))).tutor;
