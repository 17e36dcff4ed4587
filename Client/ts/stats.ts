// The connector page's stats overlay (hub topic "stats") and its uPlot charts of the last two minutes.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { DashboardHub } from "./hub";
import type { CodecCounts, ConnectorStats } from "./generated/contract";
import { connectorKey } from "./messages";

const WINDOW_S = 120;

interface Series {
  t: number[];
  values: number[][];
  plot: uPlot;
  resize: ResizeObserver;
}

function fmt(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return "–";
  return String(Math.round(v * 10 ** digits) / 10 ** digits);
}

function bytes(v: number): string {
  if (v >= 1 << 20) return `${fmt(v / 1048576)} MiB`;
  if (v >= 1 << 10) return `${fmt(v / 1024)} KiB`;
  return `${Math.round(v)} B`;
}

function codecMix(codecs: CodecCounts): string {
  const total = Object.values(codecs).reduce((a, b) => a + b, 0);
  if (total === 0) return "–";
  return Object.entries(codecs)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${c} ${Math.round((100 * n) / total)}%`)
    .join(" · ");
}

/** What this page drew of a connector since the last Stats message. */
interface Drawn {
  frames: number;
  decodeMs: number;
  since: number;
}

export class StatsView {
  private readonly charts = new Map<string, Series>();
  private readonly drawn = new Map<string, Drawn>();
  /** What the overlay says of a connector's path, given the stream's. */
  pathOf: (key: string, streamPath: string | undefined) => string = (_key, path) => path ?? "–";

  constructor(private readonly hub: DashboardHub) {
    hub.on("Stats", (all) => {
      for (const s of all) this.show(s);
    });
  }

  /** Builds the charts of root's [data-chart] elements not built yet; the page joins "stats" once it shows any. */
  scan(root: ParentNode = document): void {
    if (root.querySelector("[data-stats-for], [data-chart]")) this.hub.subscribe("stats");
    for (const el of root.querySelectorAll<HTMLElement>("[data-chart][data-for]")) {
      const id = `${el.dataset.for}|${el.dataset.chart}`;
      if (this.charts.has(id) && el.dataset.built) continue;
      el.dataset.built = "1";
      this.charts.set(id, this.build(el, el.dataset.chart ?? ""));
    }
  }

  /** Lets go of root's charts (its part of the page is gone). */
  release(root: ParentNode): void {
    for (const el of root.querySelectorAll<HTMLElement>("[data-chart][data-for]")) {
      const id = `${el.dataset.for}|${el.dataset.chart}`;
      const series = this.charts.get(id);
      series?.resize.disconnect();
      series?.plot.destroy();
      this.charts.delete(id);
    }
  }

  private build(el: HTMLElement, kind: string): Series {
    const stroke = ["#5fb3ff", "#7ddc8a", "#f0b35a"];
    const names = kind === "fps" ? ["guest fps", "shown fps"] : ["latency ms"];
    const width = Math.max(280, el.clientWidth || 480);
    const opts: uPlot.Options = {
      width,
      height: 160,
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(kind === "fps" ? 60 : 50, max * 1.1)] } },
      axes: [
        { stroke: "#aaa", grid: { stroke: "#2a2f36" }, ticks: { stroke: "#2a2f36" } },
        { stroke: "#aaa", grid: { stroke: "#2a2f36" }, ticks: { stroke: "#2a2f36" } },
      ],
      series: [{}, ...names.map((label, i) => ({ label, stroke: stroke[i], width: 1.5, points: { show: false } }))],
      legend: { show: true },
    };
    const values = names.map(() => [] as number[]);
    const t: number[] = [];
    const plot = new uPlot(opts, [t, ...values], el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height: 160 }));
    resize.observe(el);
    return { t, values, plot, resize };
  }

  /** A frame of the connector is on this page's canvas (counted here: the server only knows what it sent). */
  drew(key: string, decodeMs: number): void {
    const d = this.drawn.get(key);
    if (d) {
      d.frames++;
      d.decodeMs += decodeMs;
    } else this.drawn.set(key, { frames: 1, decodeMs, since: performance.now() });
  }

  /** Frames per second this page drew, and their mean decode-and-draw time, since the last call. */
  private takeDrawn(key: string): { fps: number; decodeMs: number } {
    const now = performance.now();
    const d = this.drawn.get(key);
    this.drawn.set(key, { frames: 0, decodeMs: 0, since: now });
    if (!d || now <= d.since) return { fps: 0, decodeMs: Number.NaN };
    return { fps: (d.frames * 1000) / (now - d.since), decodeMs: d.frames > 0 ? d.decodeMs / d.frames : Number.NaN };
  }

  private show(s: ConnectorStats): void {
    const key = connectorKey(s.domId, s.index);
    const drawn = this.takeDrawn(key);
    for (const box of document.querySelectorAll<HTMLElement>(`[data-stats-for="${key}"]`)) {
      const set = (stat: string, text: string) => {
        const el = box.querySelector<HTMLElement>(`[data-stat="${stat}"]`);
        if (el) el.textContent = text;
      };
      set("guestFps", fmt(s.guestFps));
      set("shownFps", fmt(drawn.fps));
      set("decodeMs", fmt(drawn.decodeMs, 2));
      set("dropped", String(s.dropped));
      set("latencyMs", fmt(s.latencyMs));
      set("bytesPerFrame", bytes(s.bytesPerFrame));
      set("codecs", codecMix(s.codecs));
      set("encodeMs", fmt(s.encodeMs, 2));
      set("viewers", String(s.viewers));
      set("mode", this.pathOf(key, s.mode));
    }
    const now = Date.now() / 1000;
    this.push(`${key}|fps`, now, [s.guestFps, drawn.fps]);
    this.push(`${key}|latency`, now, [s.latencyMs]);
  }

  private push(id: string, t: number, values: number[]): void {
    const series = this.charts.get(id);
    if (!series) return;
    series.t.push(t);
    values.forEach((v, i) => series.values[i]?.push(v));
    while (series.t.length > 0 && series.t[0] < t - WINDOW_S) {
      series.t.shift();
      for (const v of series.values) v.shift();
    }
    series.plot.setData([series.t, ...series.values]);
  }
}
