// The dashboard's browser code: one hub connection drives live views, stats, topology, trace and forms.
import { DashboardHub } from "./hub";
import { InputViews } from "./input";
import { LiveViews } from "./live";
import { connectorKey } from "./messages";
import { StatsView } from "./stats";
import { TopologyView } from "./topology";
import { TraceView } from "./trace";
import { carryFormOutputs, wireForms } from "./forms";

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

function main(): void {
  // The controls first: they need no hub, and must never fall back to a plain form submission.
  wireForms();
  wireFullscreen();
  wireOnDemandImages();
  const hub = new DashboardHub();
  const live = new LiveViews(hub);
  const stats = new StatsView(hub);
  const input = new InputViews(hub);
  live.frameDrawn = (frame, decodeMs) => stats.drew(connectorKey(frame.domId, frame.index), decodeMs);
  stats.pathOf = (key, path) => live.pathOf(key, path);
  new TopologyView(hub, (oldMain, newMain) => {
    live.release(oldMain);
    input.release(oldMain);
    carryFormOutputs(oldMain, newMain);
    oldMain.replaceWith(newMain);
    live.scan(newMain);
    stats.scan(newMain);
    input.scan(newMain);
  });
  const table = document.querySelector<HTMLTableElement>("table[data-trace]");
  if (table) new TraceView(hub, table);
  live.scan();
  input.scan();
  void hub.start();
}

main();
