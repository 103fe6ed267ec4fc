import { performance } from "node:perf_hooks";
import { ACME, ACME_OFFICE_EMAIL } from "../seeded-demo";
import { assertNotReloaded, markWindow } from "../page-checks";
import { reportDelivery } from "../play-twilio";
import { LIVE_WAIT_MS, type Scenario } from "../step-runner";
import { secondsSince, until } from "../until";

export const replyDelivery: Scenario = {
  name: "a reply reaches Twilio from the tracking number and its delivery shows",
  async run({ app, signIn, measure, note }) {
    // The Website number's lead: a reply must go from that number, not the client's first one.
    const lead = ACME.leads.website;
    const { page } = await signIn(ACME_OFFICE_EMAIL);
    await page.goto(`/inbox/${lead.id}`);
    const body = "We can come by Thursday at 10. Does that work?";
    await page.getByLabel("Reply", { exact: true }).fill(body);
    await page.getByRole("button", { name: "Send", exact: true }).click();

    const sent = await until(() => app.twilio.sent.find((message) => message.body === body), "the reply to reach the Twilio stand-in");
    if (sent.to !== lead.caller) throw new Error(`the reply went to ${sent.to}, not the lead ${lead.caller}`);
    if (sent.from !== lead.trackingNumber) {
      throw new Error(`the reply went from ${sent.from ?? `Messaging Service ${sent.messagingServiceSid} with no From`}, not the lead's tracking number ${lead.trackingNumber}`);
    }
    note(`Twilio got "${body}" from ${sent.from} to ${sent.to}${sent.messagingServiceSid ? ` via ${sent.messagingServiceSid}` : ""}`);

    const message = page.getByRole("listitem").filter({ hasText: body });
    await message.first().waitFor();
    const delivered = message.getByText("Delivered", { exact: true });
    if ((await delivered.count()) > 0) throw new Error("the reply shows Delivered before Twilio said so");
    await markWindow(page);
    const callbackPosted = performance.now();
    await reportDelivery(app, sent, "delivered");
    await delivered.first().waitFor({ timeout: LIVE_WAIT_MS }).catch(() => {
      throw new Error(`the reply's delivery status did not change to Delivered within ${LIVE_WAIT_MS / 1000} s`);
    });
    measure("delivered shown", secondsSince(callbackPosted));
    await assertNotReloaded(page, "the delivery status");
  },
};
