import type { ChangeEmailInput, ChangePasswordInput, ProfileUpdateInput } from "../../../../domain/schemas/auth";
import { api, call } from "../../lib/api";
import { session } from "../../lib/session";

/** The signed-in user's account: profile, address, password, devices, export and deletion. */
export const fetchAccount = async () => call(api.me.account.$get());
export type AccountView = Awaited<ReturnType<typeof fetchAccount>>;

export async function updateProfile(change: ProfileUpdateInput) {
  const res = await call(api.me.$patch({ json: change }));
  session.setUser(res.user);
  return res;
}

export async function changePassword(input: ChangePasswordInput) {
  const { user } = await call(api.me.password.$post({ json: input }));
  session.setUser(user);
}

export const changeEmail = async (input: ChangeEmailInput) => call(api.me.email.$post({ json: input }));
export const resendVerification = async () => call(api.auth["verify-email"].resend.$post());

export const fetchDevices = async () => (await call(api.me.sessions.$get())).sessions;
export type Device = Awaited<ReturnType<typeof fetchDevices>>[number];
export const signOutDevice = async (id: string) => call(api.me.sessions[":id"].$delete({ param: { id } }));
export async function signOutEverywhere() {
  await call(api.me.sessions["revoke-all"].$post());
  session.setUser(null);
}

export async function deleteAccount(password: string) {
  const res = await call(api.me.$delete({ json: { password } }));
  session.setUser(null);
  return res;
}

/** Mailed links: reset, verify, accept an invitation. */
export const requestPasswordReset = async (email: string) => call(api.auth["password-reset"].request.$post({ json: { email } }));
export async function confirmPasswordReset(token: string, password: string) {
  const { user } = await call(api.auth["password-reset"].confirm.$post({ json: { token, password } }));
  session.setUser(user);
  return user;
}
export async function verifyEmail(token: string) {
  const { user } = await call(api.auth["verify-email"].$post({ json: { token } }));
  if (session.user()?.id === user.id) session.setUser(user);
  return user;
}
export async function acceptInvite(input: { token: string; name: string; password: string; timezone: string }) {
  const { user } = await call(api.auth["admin-invite"].accept.$post({ json: input }));
  session.setUser(user);
  return user;
}
