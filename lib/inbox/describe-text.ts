export type TextAuthor = "lead" | "client" | "auto";

const PREVIEW_LENGTH = 120;

/** One line for a text in the thread list: its first words, or what it carried when it has none. */
export function describeText(text: { author: TextAuthor; body: string; mediaCount: number }): string {
  const prefix = text.author === "client" ? "Reply: " : text.author === "auto" ? "Auto-text: " : "";
  const line = text.body.replace(/\s+/g, " ").trim();
  if (line === "" && text.mediaCount === 0) return `${prefix}(empty text)`;
  if (line === "") return `${prefix}${text.mediaCount === 1 ? "Photo" : `${text.mediaCount} photos`}`;
  const clipped = line.length > PREVIEW_LENGTH ? `${line.slice(0, PREVIEW_LENGTH - 1)}…` : line;
  return `${prefix}${clipped}`;
}
