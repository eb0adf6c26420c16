// `generate_secret_key()`: 50 characters from Django's alphabet, drawn with a CSPRNG (rejection
// sampling, so every character is equally likely).

export const SECRET_KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)";
export const SECRET_KEY_LENGTH = 50;

export function generateSecretKey(length = SECRET_KEY_LENGTH): string {
  const n = SECRET_KEY_ALPHABET.length;
  const limit = 256 - (256 % n);
  let out = "";
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
    for (const b of bytes) {
      if (b < limit && out.length < length) out += SECRET_KEY_ALPHABET[b % n];
    }
  }
  return out;
}
