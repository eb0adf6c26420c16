// A command given as one string (`command: run web --port 80`) split into words as a POSIX
// shell would, without expanding anything: compose does the same before handing it to Docker.

export function shellSplit(text: string): string[] | { error: string; offset: number } {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { error: "unterminated single quote", offset: i };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === "\\" && /["\\$`\n]/.test(text[j + 1] ?? "")) j++;
        word += text[j];
      }
      if (j >= text.length) return { error: "unterminated double quote", offset: i };
      inWord = true;
      i = j;
    } else if (ch === "\\") {
      if (i + 1 < text.length && text[i + 1] !== "\n") word += text[i + 1];
      inWord = true;
      i++;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
