/**
 * Headless Chromium driven over the Chrome DevTools Protocol (a websocket): start it, open a
 * page, wait for a condition, evaluate JavaScript, record the page's requests and take
 * screenshots. Enough for `scripts/browser_check.ts`; no library needed.
 *
 * @module
 */
import { join } from "node:path";

/** Debian's Chromium. */
export const CHROMIUM = "/usr/bin/chromium";

/** The flags for a quiet, sandbox-free headless Chromium (as root in a container). */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--hide-scrollbars",
  "--mute-audio",
];

type Json = Record<string, unknown>;

/** A running browser with one page. */
export class Browser {
  #ws: WebSocket;
  #next = 1;
  #pending = new Map<number, { resolve: (v: Json) => void; reject: (e: Error) => void }>();
  #listeners: ((method: string, params: Json, sessionId?: string) => void)[] = [];
  #session = "";
  /** URLs the page requested (Network.requestWillBeSent), in order. */
  readonly requests: string[] = [];

  private constructor(
    private child: Deno.ChildProcess,
    private profile: string,
    ws: WebSocket,
  ) {
    this.#ws = ws;
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.id !== undefined) {
        const p = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        if (m.error) p?.reject(new Error(`${m.error.message} (${m.error.code})`));
        else p?.resolve(m.result ?? {});
      } else {
        if (m.method === "Network.requestWillBeSent") this.requests.push(m.params.request.url);
        for (const l of this.#listeners) l(m.method, m.params, m.sessionId);
      }
    };
  }

  /** Starts Chromium with a fresh profile and opens a blank page of `width` × `height`. */
  static async launch(width = 1280, height = 900): Promise<Browser> {
    const profile = Deno.makeTempDirSync({ prefix: "chromium-" });
    const child = new Deno.Command(CHROMIUM, {
      args: [
        ...CHROMIUM_FLAGS,
        `--user-data-dir=${profile}`,
        "--remote-debugging-port=0",
        `--window-size=${width},${height}`,
        "about:blank",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    let port = "", path = "";
    for (let i = 0; i < 300 && !port; i++) {
      try {
        [port, path] = Deno.readTextFileSync(join(profile, "DevToolsActivePort")).split("\n");
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (!port) {
      child.kill("SIGKILL");
      throw new Error("Chromium did not open its DevTools port within 30 s");
    }
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error("could not connect to Chromium's DevTools"));
    });
    const b = new Browser(child, profile, ws);
    const { targetId } = await b.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await b.send("Target.attachToTarget", { targetId, flatten: true });
    b.#session = sessionId as string;
    await b.page("Page.enable");
    await b.page("Runtime.enable");
    await b.page("Network.enable");
    await b.page("Emulation.setDeviceMetricsOverride", {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: false,
    });
    return b;
  }

  /** Sends a browser-level command. */
  send(method: string, params: Json = {}, sessionId?: string): Promise<Json> {
    const id = this.#next++;
    this.#ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
  }

  /** Sends a command to the page. */
  page(method: string, params: Json = {}): Promise<Json> {
    return this.send(method, params, this.#session);
  }

  /** Navigates and waits for the load event (up to `ms`). */
  async goto(url: string, ms = 60_000): Promise<void> {
    const loaded = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${url} did not load in ${ms} ms`)), ms);
      const l = (method: string, _p: Json, s?: string) => {
        if (method === "Page.loadEventFired" && s === this.#session) {
          clearTimeout(timer);
          this.#listeners = this.#listeners.filter((x) => x !== l);
          resolve();
        }
      };
      this.#listeners.push(l);
    });
    const r = await this.page("Page.navigate", { url });
    if (r.errorText) throw new Error(`${url}: ${r.errorText}`);
    await loaded;
  }

  /** Evaluates an expression in the page (promises awaited) and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.page("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    });
    const ex = r.exceptionDetails as Json | undefined;
    if (ex) {
      const desc = (ex.exception as Json | undefined)?.description ?? ex.text;
      throw new Error(`in the page: ${desc}`);
    }
    return (r.result as Json).value as T;
  }

  /** Polls `expression` until it is truthy (or throws after `ms`). */
  async waitFor(expression: string, ms: number, what: string): Promise<void> {
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      if (await this.evaluate<boolean>(`!!(${expression})`)) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
  }

  /**
   * A PNG of the page: the viewport, or the box of the first element matching `selector`
   * (scrolled into view), at most `maxHeight` CSS pixels tall.
   */
  async screenshot(file: string, selector?: string, maxHeight = 2400): Promise<void> {
    let clip: Json | undefined;
    if (selector) {
      const box = await this.evaluate<number[] | null>(`(() => {
        const el = document.querySelector(${JSON.stringify(selector)});
        if (!el) return null;
        el.scrollIntoView({ block: "start" });
        const r = el.getBoundingClientRect();
        return [r.left + scrollX, r.top + scrollY, r.width, r.height];
      })()`);
      if (!box) throw new Error(`no element matches ${selector}`);
      const [x, y, width, height] = box;
      clip = { x, y, width, height: Math.min(height, maxHeight), scale: 1 };
    }
    const r = await this.page("Page.captureScreenshot", {
      format: "png",
      ...(clip ? { clip, captureBeyondViewport: true } : {}),
    });
    Deno.writeFileSync(file, Uint8Array.from(atob(r.data as string), (c) => c.charCodeAt(0)));
  }

  /** Closes the browser and removes its profile. */
  async close(): Promise<void> {
    try {
      await Promise.race([this.send("Browser.close"), new Promise((r) => setTimeout(r, 3000))]);
    } catch { /* already closing */ }
    this.#ws.close();
    try {
      this.child.kill("SIGKILL");
    } catch { /* gone */ }
    await this.child.status;
    // Chromium's helper processes may still write to the profile for a moment.
    for (let i = 0; i < 20; i++) {
      try {
        Deno.removeSync(this.profile, { recursive: true });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }
}
