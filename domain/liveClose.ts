/**
 * Close codes of the live sockets besides the standard ones, in a module of their own: the SPA's live socket
 * reads them on first load, where zod (which domain/protocol.ts builds its schemas with) must not come along.
 * `superseded` (4001): the user (or address) opened more sockets than allowed and this was the oldest; clients
 * reconnect when their tab is next looked at, not at once. `signedOut` (4003): signed out or suspended; show sign-in.
 */
export const LIVE_CLOSE = { superseded: 4001, signedOut: 4003 } as const;
