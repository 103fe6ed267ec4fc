// The reply box as it reaches the browser: a field labelled "Reply" and a "Send" button for the
// lead, or, when the lead cannot be texted, the reason instead of a form.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ReplyForm } from "@/components/inbox/reply-form";

const LEAD_ID = "10000000-0000-4000-a000-000000000001";

describe("the reply box", () => {
  it("has a textarea labelled Reply, the lead it answers, and a Send button", () => {
    const html = renderToStaticMarkup(createElement(ReplyForm, { leadId: LEAD_ID }));

    const label = /<label for="([^"]+)"[^>]*>Reply<\/label>/.exec(html);
    expect(label).not.toBeNull();
    expect(html).toMatch(new RegExp(`<textarea id="${label![1]}" name="body" required="" maxLength="1600"`));
    expect(html).toContain(`<input type="hidden" name="leadId" value="${LEAD_ID}"/>`);
    expect(html).toMatch(/<button type="submit"[^>]*>.*Send<\/button>/);
    expect(html).toContain('aria-live="polite"');
  });

  it("shows why a lead cannot be texted instead of the form", () => {
    const html = renderToStaticMarkup(createElement(ReplyForm, { leadId: LEAD_ID, disabledReason: "This caller opted out of texts (replied STOP)" }));
    expect(html).toContain("This caller opted out of texts (replied STOP)");
    expect(html).not.toContain("<form");
    expect(html).not.toContain("<textarea");
  });
});
