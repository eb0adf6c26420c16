// The words that make `sentryctl devservices WORD` devservices' own command line (kept apart
// from the command table so the entry chunk stays small: the table is imported on use).

const WORDS = new Set([
  "up",
  "down",
  "status",
  "logs",
  "list-services",
  "ls",
  "list-dependencies",
  "reset",
  "purge",
  "toggle",
  "serve",
  "foreground",
  "__supervise",
]);

/** True for devservices' commands, its root flags, or nothing at all. */
export function isDevservicesWord(word: string | undefined): boolean {
  return word === undefined || word.startsWith("-") || WORDS.has(word);
}
