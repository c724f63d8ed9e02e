// Screenshots are for a person to look at, not checks: a spec's assertions never read them. Taking them costs a
// full-page render and a PNG encode each (about a tenth of the suite's CPU), so they are taken only when asked for:
// `npm run screenshots` (SCREENSHOTS=1) runs the same specs and writes them under e2e/screenshots/.
import type { Locator, Page } from "@playwright/test";
import { SCREENSHOT_DIR } from "./env";

const SCREENSHOTS = process.env.SCREENSHOTS === "1";

/** Saves `target` as e2e/screenshots/<name>.png when screenshots were asked for; otherwise does nothing. */
export async function snap(target: Page | Locator, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (!SCREENSHOTS) return;
  await target.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, ...options });
}
