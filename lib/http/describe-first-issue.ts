import type { z } from "zod";

/** The first thing wrong with a parsed body, naming the field, in a line safe to answer with. */
export function describeFirstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}
