// Sentry's `sentry createuser` over the store: the email is also the username; the password is
// hashed in Django's PBKDF2 format; staff follows superuser unless given, and is dropped for a
// non-superuser with Sentry's message. Without --password, --no-password leaves the password
// empty (as Sentry's createuser does).

import { failure } from "../errors.ts";
import { makePassword } from "./password.ts";
import { EMAIL_MAX_LENGTH, type Store, USERNAME_MAX_LENGTH } from "./types.ts";

export interface CreateUserInput {
  email?: string;
  password?: string;
  noPassword: boolean;
  superuser: boolean;
  staff?: boolean;
  forceUpdate: boolean;
  /** PBKDF2 iterations (Django's default unless a test asks for fewer). */
  iterations?: number;
}

export interface CreateUserResult {
  lines: string[];
  /** 0, or 3 when the user exists without --force-update (Sentry's exit code). */
  exitCode: number;
}

/** A plain check in the spirit of Django's EmailValidator: one @, no spaces, a dotted domain. */
export function isValidEmail(email: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || /^[^\s@]+@localhost$/.test(email);
}

export async function createUser(store: Store, input: CreateUserInput): Promise<CreateUserResult> {
  const email = input.email?.trim() ?? "";
  if (!email) throw failure("Invalid or missing email address.");
  if (!isValidEmail(email)) {
    throw failure("Enter a valid email address.", { hint: `got \`${email}\`` });
  }
  const limit = Math.min(USERNAME_MAX_LENGTH, EMAIL_MAX_LENGTH);
  if (email.length > limit) {
    throw failure(`Ensure this value has at most ${limit} characters (it has ${email.length}).`);
  }
  if (!input.noPassword && !input.password) {
    throw failure("No password set and --no-password not passed.");
  }
  const lines: string[] = [];
  let staff = input.staff ?? input.superuser;
  if (!input.superuser && input.staff) {
    lines.push("Non-superuser asked to be given staff access, correcting to staff=False");
    staff = false;
  }
  const password = input.password
    ? await makePassword(input.password, undefined, input.iterations)
    : "";
  const user = { username: email, email, password, isSuperuser: input.superuser, isStaff: staff };
  const created = await store.createUser(user);
  if (created) return { lines: [...lines, `User created: ${email}`], exitCode: 0 };
  if (!input.forceUpdate) {
    return { lines: [...lines, `User: ${email} exists, use --force-update to force`], exitCode: 3 };
  }
  await store.updateUser(user);
  return { lines: [...lines, `User updated: ${email}`], exitCode: 0 };
}
