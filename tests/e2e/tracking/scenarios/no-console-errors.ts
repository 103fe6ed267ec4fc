import type { Scenario } from "../../inbox/step-runner";
import type { LoggedLine } from "../site-page";
import type { TrackingRun } from "../tracking-run";

// Where the browser itself reports the refused or failed request (CORS, connection refused): the
// foreign site (e) and the server down (g). Only its own network lines are allowed there.
const REFUSED_OR_DOWN = new Set(["e", "g"]);

const list = (lines: LoggedLine[]) => lines.map((line) => `(${line.scenario}) ${line.page} [${line.from}] ${line.text}`);

export const noConsoleErrors = (run: TrackingRun): Scenario => ({
  name: "(f) no console errors on any page above; on (e) and (g) only the browser's own report of the refused request",
  async run({ note }) {
    const elsewhere = run.log.filter((line) => !REFUSED_OR_DOWN.has(line.scenario));
    const refused = run.log.filter((line) => REFUSED_OR_DOWN.has(line.scenario));
    const fromBrowser = refused.filter((line) => line.from === "browser");
    const fromScript = refused.filter((line) => line.from !== "browser");
    note(`pages of (a)–(d), (h)–(j): ${elsewhere.length} console error(s) or uncaught error(s)`);
    note(`(e) and (g), the browser's own: ${fromBrowser.length === 0 ? "none" : `\n      ${list(fromBrowser).join("\n      ")}`}`);
    note(`(e) and (g), from the script or page: ${fromScript.length === 0 ? "none" : list(fromScript).join(" ‖ ")}`);
    const wrong = [...elsewhere, ...fromScript];
    if (wrong.length > 0) throw new Error(`errors on the console:\n${list(wrong).join("\n")}`);
  },
});
