import { ACME, ACME_OFFICE_EMAIL, newCaller, shownNumber } from "../seeded-demo";
import { threadLink } from "../page-checks";
import { placeMissedCallWithVoicemail } from "../play-twilio";
import { newRecording } from "../recordings";
import type { Scenario } from "../step-runner";
import { until } from "../until";

export const voicemailPlays: Scenario = {
  name: "a voicemail plays in the thread, streamed through our server",
  async run({ app, signIn, note }) {
    const caller = newCaller();
    const recording = newRecording(app);
    await placeMissedCallWithVoicemail(app, { from: caller, to: ACME.googleAdsNumber }, recording);

    const { page } = await signIn(ACME_OFFICE_EMAIL);
    const fromStandIn: string[] = [];
    const recordingAnswers: number[] = [];
    page.on("request", (request) => request.url().startsWith(app.twilioUrl) && fromStandIn.push(request.url()));
    page.on("response", (response) => new URL(response.url()).pathname.startsWith("/api/recordings/") && recordingAnswers.push(response.status()));
    const row = threadLink(page, shownNumber(caller)).first();
    await row.waitFor();
    await row.click();
    const audio = page.locator("audio").first();
    await audio.waitFor({ state: "attached" });
    const source = await audio.evaluate((element: HTMLAudioElement) => element.currentSrc || element.src);
    if (!new URL(source).pathname.startsWith("/api/recordings/")) throw new Error(`the voicemail's audio is ${source}, not /api/recordings/<call>`);

    await audio.evaluate((element: HTMLAudioElement) => element.play());
    const state = await until(
      () =>
        audio.evaluate((element: HTMLAudioElement) => {
          if (element.error) throw new Error(`the audio element failed: code ${element.error.code} ${element.error.message}`);
          return element.currentTime > 0.25 && element.readyState >= 2 ? { time: element.currentTime, duration: element.duration } : null;
        }),
      "the voicemail to play (currentTime past 0.25 s, with data loaded)",
      15_000,
    );
    if (fromStandIn.length > 0) throw new Error(`the browser fetched Twilio's media directly: ${fromStandIn[0]}`);
    if (!recordingAnswers.some((status) => status === 200 || status === 206)) throw new Error(`no 200/206 from /api/recordings/ (answers: ${recordingAnswers.join(", ") || "none"})`);
    if (!app.twilioRequests.some((request) => request.includes(`/Recordings/${recording.sid}`))) throw new Error(`the server never fetched ${recording.sid} from Twilio`);
    note(`played ${state.time.toFixed(2)} s of ${state.duration.toFixed(2)} s from ${new URL(source).pathname} (answers ${recordingAnswers.join(", ")}); the browser made no request to Twilio`);
  },
};
