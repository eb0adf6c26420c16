// Django-compatible password hashing (`django.contrib.auth.hashers.PBKDF2PasswordHasher`), so a
// user made by `sentryctl createuser` can log into Sentry: `pbkdf2_sha256$<iterations>$<salt>$
// <base64 of PBKDF2-HMAC-SHA256, 32 bytes>`. Django accepts any iteration count and rehashes on
// the next login when it differs from its own default.

import { pbkdf2, randomInt, timingSafeEqual } from "node:crypto";

/** Django 5.2's default (Sentry runs Django 5.2). */
export const DEFAULT_ITERATIONS = 1_000_000;
const ALGORITHM = "pbkdf2_sha256";
const SALT_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/** Django's salt: 22 characters of the alphabet above, at least 128 bits. */
const SALT_LENGTH = 22;

/** Django's unusable-password marker prefix (`set_unusable_password`). */
export const UNUSABLE_PASSWORD_PREFIX = "!";

export function makeSalt(): string {
  let salt = "";
  for (let i = 0; i < SALT_LENGTH; i++) salt += SALT_ALPHABET[randomInt(SALT_ALPHABET.length)];
  return salt;
}

function derive(password: string, salt: string, iterations: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    pbkdf2(password, salt, iterations, 32, "sha256", (err, key) => err ? reject(err) : resolve(key))
  );
}

/** `make_password(password, salt, "pbkdf2_sha256")`. */
export async function makePassword(
  password: string,
  salt: string = makeSalt(),
  iterations: number = DEFAULT_ITERATIONS,
): Promise<string> {
  if (salt.includes("$")) throw new Error("salt must not contain '$'");
  const hash = (await derive(password, salt, iterations)).toString("base64");
  return `${ALGORITHM}$${iterations}$${salt}$${hash}`;
}

/** `check_password(password, encoded)` for the PBKDF2-SHA256 format; false for anything else. */
export async function checkPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split("$");
  if (parts.length !== 4 || parts[0] !== ALGORITHM) return false;
  const [, iterText, salt, hash] = parts as [string, string, string, string];
  const iterations = Number(iterText);
  if (!/^[1-9][0-9]*$/.test(iterText) || !Number.isSafeInteger(iterations)) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await derive(password, salt, iterations);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Django's `is_password_usable` plus Sentry's rule that an empty password is not usable. */
export function isPasswordUsable(encoded: string): boolean {
  return encoded !== "" && !encoded.startsWith(UNUSABLE_PASSWORD_PREFIX);
}
