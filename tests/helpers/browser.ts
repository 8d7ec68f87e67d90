/**
 * A real browser for the dashboard tests: Debian's chromium (never a downloaded one) driven by
 * playwright-core, with a fresh profile each run, plus axe-core injected into pages and a byte
 * count of what a page load transferred.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Where screenshots and downloads go (gitignored). */
export const ARTIFACTS = path.resolve("test-artifacts/dashboard");

export type Browser = { context: BrowserContext; close(): Promise<void> };

/** Starts headless chromium on a new profile folder. */
export async function startBrowser(): Promise<Browser> {
  const profile = await mkdtemp(path.join(tmpdir(), "chidao-chromium-"));
  await mkdir(ARTIFACTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    locale: "en-US",
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The page's document, as the function run in the browser sees it (the project's types have no DOM). */
declare const document: unknown;

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/**
 * Runs axe-core (WCAG 2 A/AA rules) on the page as it is. Injected through the DevTools protocol,
 * which the page's Content-Security-Policy does not govern.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(`${axeSource};0`);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

/** Loads `url` in `page` and returns the bytes transferred (headers and bodies, as the network saw them) and the number of requests. */
export async function measureLoad(page: Page, url: string): Promise<{ bytes: number; requests: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  let bytes = 0;
  let requests = 0;
  cdp.on("Network.loadingFinished", (e: { encodedDataLength: number }) => {
    bytes += e.encodedDataLength;
    requests++;
  });
  await page.goto(url, { waitUntil: "networkidle" });
  await cdp.detach();
  return { bytes, requests };
}

/** Screenshots of the page at desktop and phone widths. */
export async function screenshots(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}
