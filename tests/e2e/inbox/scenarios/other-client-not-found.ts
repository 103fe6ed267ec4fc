import { ACME, ACME_OFFICE_EMAIL, AGENCY_OWNER_EMAIL, BRIGHT_SMILES } from "../seeded-demo";
import { assertRevealsNone } from "../page-checks";
import { leaveVoicemail } from "../play-twilio";
import { newRecording } from "../recordings";
import type { Scenario } from "../step-runner";
import { until } from "../until";

export const otherClientNotFound: Scenario = {
  name: "another client's lead and recording by URL are not found",
  async run({ app, signIn, note }) {
    const { lead } = BRIGHT_SMILES;
    // Bright Smiles' seeded call gets a voicemail, so a recording of another client really exists.
    await leaveVoicemail(app, { from: lead.caller, to: BRIGHT_SMILES.trackingNumber, callSid: BRIGHT_SMILES.callSid }, newRecording(app));
    const owner = await signIn(AGENCY_OWNER_EMAIL);
    await owner.page.goto(`/inbox/${lead.id}`);
    const source = await until(() => owner.page.locator("audio").first().getAttribute("src"), `the agency to see the audio of ${BRIGHT_SMILES.name}'s voicemail`);
    const recordingPath = new URL(source, app.url).pathname;
    if (!/^\/api\/recordings\/[^/]+$/.test(recordingPath)) throw new Error(`the voicemail plays from ${source}, not /api/recordings/<call>`);
    const ownersCopy = await owner.context.request.get(recordingPath);
    if (!ownersCopy.ok()) throw new Error(`the agency owner gets ${ownersCopy.status()} for ${recordingPath}`);

    const acme = await signIn(ACME_OFFICE_EMAIL);
    const page = await acme.page.goto(`/inbox/${lead.id}`);
    if (page?.status() !== 404) throw new Error(`${ACME.name}'s user opening /inbox/${lead.id} gets HTTP ${page?.status()}, not 404`);
    await acme.page.getByRole("heading", { name: /not found/i }).first().waitFor();
    await assertRevealsNone(acme.page, `/inbox/${lead.id}`, [lead.shown, lead.caller, lead.caller.slice(2), BRIGHT_SMILES.name, lead.text, BRIGHT_SMILES.trackingNumber], "the not-found page");

    const recording = await acme.context.request.get(recordingPath);
    if (recording.status() !== 404) throw new Error(`${ACME.name}'s user gets ${recording.status()} for ${recordingPath}, not 404`);
    const contentType = recording.headers()["content-type"] ?? "";
    if (contentType.startsWith("audio/")) throw new Error(`the 404 for ${recordingPath} carries ${contentType}`);
    note(`as ${ACME_OFFICE_EMAIL}: /inbox/${lead.id} 404, ${recordingPath} 404 (the agency owner gets ${ownersCopy.status()})`);
  },
};
