/** Durable Object stubs by the name they are addressed with. */
export const calendarOf = (env: Pick<Env, "TUTOR_CALENDAR">, tutorId: string) => env.TUTOR_CALENDAR.get(env.TUTOR_CALENDAR.idFromName(tutorId));
export const accountOf = (env: Env, studentId: string) => env.STUDENT_ACCOUNT.get(env.STUDENT_ACCOUNT.idFromName(studentId));
export const inboxOf = (env: Env, userId: string) => env.USER_INBOX.get(env.USER_INBOX.idFromName(userId));
export const roomOf = (env: Env, bookingId: string) => env.SESSION_ROOM.get(env.SESSION_ROOM.idFromName(bookingId));
export const conversationOf = (env: Env, conversationId: string) => env.CONVERSATION.get(env.CONVERSATION.idFromName(conversationId));
