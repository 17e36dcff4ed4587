// The dashboard's browser code: one hub connection drives the live canvases, stats, charts and input capture of
// the parts of the page Blazor hands over (attach/release, called through JS interop by BrowserPart).
import { DashboardHub } from "./hub";
import { InputViews } from "./input";
import { LiveViews } from "./live";
import { connectorKey } from "./messages";
import { wireReconnection } from "./reconnect";
import { StatsView } from "./stats";

function wireFullscreen(): void {
  document.addEventListener("click", (e) => {
    const button = (e.target as Element | null)?.closest<HTMLElement>("[data-fullscreen-for]");
    if (!button) return;
    const view = document.querySelector<HTMLElement>(`[data-view-for="${button.dataset.fullscreenFor}"]`);
    if (!view) return;
    if (document.fullscreenElement) void document.exitFullscreen();
    else void view.requestFullscreen().catch((err: unknown) => console.warn("fullscreen refused", err));
  });
}

/** A dbuf's lossless picture is fetched only when its <details> is opened. */
function wireOnDemandImages(): void {
  document.addEventListener(
    "toggle",
    (e) => {
      const details = e.target;
      if (!(details instanceof HTMLDetailsElement) || !details.open) return;
      for (const img of details.querySelectorAll<HTMLImageElement>("img[data-src]")) {
        if (!img.getAttribute("src")) img.src = img.dataset.src ?? "";
      }
    },
    true,
  );
}

wireFullscreen();
wireOnDemandImages();
wireReconnection();
const hub = new DashboardHub();
const live = new LiveViews(hub);
const stats = new StatsView(hub);
const input = new InputViews(hub);
live.frameDrawn = (frame, decodeMs) => stats.drew(connectorKey(frame.domId, frame.index), decodeMs);
stats.pathOf = (key, path) => live.pathOf(key, path);
void hub.start();

const parts = new Map<number, HTMLElement>();
let nextPart = 1;

/** Takes over root's live canvases, stats, charts, input capture and hub pill; the handle releases them. */
export function attach(root: HTMLElement): number {
  live.scan(root);
  stats.scan(root);
  input.scan(root);
  hub.paint(root);
  const handle = nextPart++;
  parts.set(handle, root);
  return handle;
}

/** Shows the hub connection's state on the header's pill, now and as it changes. */
export function paintHubState(pill: HTMLElement): void {
  hub.paint(pill.parentElement ?? document);
}

/** Lets go of what attach took (its part of the page is gone, or about to be rendered anew). */
export function release(handle: number): void {
  const root = parts.get(handle);
  if (!root) return;
  parts.delete(handle);
  input.release(root);
  stats.release(root);
  live.release(root);
}
