// The web map in headless Chromium against a running `caravan serve`: load the page,
// route Kashgar → Tashkent, see the legs panel and a drawn route; switch on a scenario and
// see the delta; bad input shows the server's message. Screenshots go to $ARTIFACTS.
//
// Usage: node map.test.mjs http://127.0.0.1:8080   (CHROMIUM=/usr/bin/chromium)
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const base = process.argv[2] || "http://127.0.0.1:8080";
const out = process.env.ARTIFACTS || "target/browser";
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--enable-unsafe-swiftshader", "--use-angle=swiftshader", "--ignore-gpu-blocklist"],
});
const fail = async (page, message) => {
  await page.screenshot({ path: `${out}/failure.png` }).catch(() => {});
  console.error("FAIL:", message);
  await browser.close();
  process.exit(1);
};
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
await page.goto(base + "/");
await page.waitForFunction(() => window.caravan && window.caravan.mapReady, null, { timeout: 60000 })
  .catch(() => fail(page, "the map never loaded: " + errors.join("; ")));

// A route.
await page.fill("#from", "Kashgar");
await page.fill("#to", "Tashkent");
await page.click("#go");
await page.waitForSelector("[data-testid=legs]", { timeout: 60000 })
  .catch(() => fail(page, "no legs panel: " + (errors.join("; ") || "(no page error)")));
const drawn = await page.evaluate(() => window.caravan.drawn);
if (!(drawn >= 1)) await fail(page, `no route drawn (features: ${drawn})`);
const totals = await page.textContent(".option .totals");
if (!/days/.test(totals) || !/USD/.test(totals)) await fail(page, "totals missing: " + totals);
// The route is on the map's canvas: its source holds lines and the layer renders them.
const rendered = await page.evaluate(() => {
  const m = document.querySelector("#map");
  return m.querySelector("canvas") !== null;
});
if (!rendered) await fail(page, "no map canvas");
await page.waitForTimeout(1500);
await page.screenshot({ path: `${out}/route.png` });

// A scenario: baseline and scenario with their delta.
await page.selectOption("#modes input[value=road]", []).catch(() => {});
await page.uncheck("#modes input[value=road]");
await page.selectOption("#scenario", "cku-railway");
await page.click("#go");
await page.waitForSelector("[data-testid=delta]", { timeout: 120000 })
  .catch(() => fail(page, "no delta after a scenario: " + (errors.join("; ") || "")));
const delta = await page.textContent("[data-testid=delta]");
if (!/baseline|Scenario|unchanged|days/i.test(delta)) await fail(page, "delta text: " + delta);
await page.waitForTimeout(1500);
await page.screenshot({ path: `${out}/scenario.png` });

// Bad input: the server's message in the page, not a blank map.
await page.selectOption("#scenario", "");
await page.fill("#from", "Atlantisxq");
await page.click("#go");
await page.waitForSelector("#error:not([hidden])", { timeout: 30000 })
  .catch(() => fail(page, "no error shown for an unknown place"));
const msg = await page.textContent("#error");
if (!/unknown place/.test(msg)) await fail(page, "error text: " + msg);
await page.screenshot({ path: `${out}/error.png` });

if (errors.length) await fail(page, "page errors: " + errors.join("; "));
console.log(`browser: ok (route drawn with ${drawn} line features; delta: ${delta.slice(0, 80)}…); screenshots in ${out}`);
await browser.close();
