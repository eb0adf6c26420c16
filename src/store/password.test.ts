import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { checkPassword, isPasswordUsable, makePassword, makeSalt } from "./password.ts";

describe("Django PBKDF2 password hashing", () => {
  test("Django 3.2's own test vector: make_password('lètmein', 'seasalt') at 260000 iterations", async () => {
    assert.equal(
      await makePassword("lètmein", "seasalt", 260000),
      "pbkdf2_sha256$260000$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=",
    );
  });

  test("the same at Django 5.2's 1,000,000 iterations (computed by Django's hasher)", async () => {
    assert.equal(
      await makePassword("lètmein", "seasalt", 1_000_000),
      "pbkdf2_sha256$1000000$seasalt$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=",
    );
  });

  test("check_password accepts Django-made hashes and rejects wrong passwords and other formats", async () => {
    const django =
      "pbkdf2_sha256$1000$abcdefghijklmnopqrstuv$3sV/SVfT6ME4dIgYVdSlH0jEvyK0z+y3AJvov9Y+8MA=";
    assert.equal(await checkPassword("correct horse", django), true);
    assert.equal(await checkPassword("correct horsE", django), false);
    assert.equal(await checkPassword("x", "bcrypt_sha256$$2b$12$abc"), false);
    assert.equal(await checkPassword("x", "pbkdf2_sha256$0$salt$abc="), false);
    assert.equal(await checkPassword("x", "pbkdf2_sha256$1e3$salt$abc="), false);
    assert.equal(await checkPassword("", ""), false);
    assert.equal(await checkPassword("x", "!"), false);
  });

  test("the default: 22-character alphanumeric salt, 1,000,000 iterations, round-trips", async () => {
    const salt = makeSalt();
    assert.match(salt, /^[A-Za-z0-9]{22}$/);
    assert.notEqual(makeSalt(), salt);
    const encoded = await makePassword("pässwörd $ with dollar");
    assert.match(encoded, /^pbkdf2_sha256\$1000000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
    assert.equal(await checkPassword("pässwörd $ with dollar", encoded), true);
  });

  test("usable: not empty (Sentry's rule) and not Django's '!' marker", () => {
    assert.equal(isPasswordUsable(""), false);
    assert.equal(isPasswordUsable("!"), false);
    assert.equal(isPasswordUsable("!abcdef"), false);
    assert.equal(isPasswordUsable("pbkdf2_sha256$1$a$b"), true);
  });
});
