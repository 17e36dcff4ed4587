// Topology: refreshes [data-topology-field] elements, and when connectors come or go swaps <main>.
import type { DashboardHub } from "./hub";
import type { DomainView } from "./generated/contract";
import { connectorKey } from "./messages";

function fmtNumber(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** The value of a field as the pages write it: "1/0:mode" is "1920×1080", numbers with at most one decimal. */
function fieldValue(obj: Record<string, unknown>, field: string): unknown {
  if (field === "mode") return `${obj.width}×${obj.height}`;
  return obj[field];
}

function render(el: HTMLElement, value: unknown): void {
  let text: string;
  if (typeof value === "boolean") {
    text = (value ? el.dataset.true : el.dataset.false) ?? String(value);
    el.classList.toggle("up", value);
    el.classList.toggle("down", !value);
  } else if (typeof value === "number") {
    text = fmtNumber(value);
  } else {
    text = value == null ? "" : String(value);
  }
  if (el.textContent !== text) {
    el.textContent = text;
    if (el.classList.contains("xb")) el.className = `xb xb-${text.toLowerCase()}`;
  }
}

export class TopologyView {
  private shape: string | null = null;
  private swapping = false;

  constructor(
    hub: DashboardHub,
    private readonly onSwap: (oldMain: HTMLElement, newMain: HTMLElement) => void,
  ) {
    hub.on("Topology", (domains) => this.update(domains));
  }

  update(domains: DomainView[]): void {
    const values = new Map<string, unknown>();
    const keys: string[] = [];
    for (const d of domains) {
      for (const f of Object.keys(d)) if (f !== "connectors") values.set(`${d.domId}:${f}`, (d as unknown as Record<string, unknown>)[f]);
      for (const c of d.connectors) {
        const key = connectorKey(d.domId, c.index);
        keys.push(`${key}@${c.width}x${c.height}`);
        for (const f of [...Object.keys(c), "mode"]) values.set(`${key}:${f}`, fieldValue(c as unknown as Record<string, unknown>, f));
      }
    }
    for (const el of document.querySelectorAll<HTMLElement>("[data-topology-field]")) {
      const name = el.dataset.topologyField ?? "";
      if (values.has(name)) render(el, values.get(name));
    }
    const shape = keys.sort().join(",");
    if (this.shape !== null && shape !== this.shape) void this.reloadMain();
    this.shape = shape;
  }

  /** Fetches this page again and swaps its main element (pages that ask for it with data-topology-reload). */
  private async reloadMain(): Promise<void> {
    const main = document.querySelector<HTMLElement>("main[data-topology-reload]");
    if (!main || this.swapping) return;
    this.swapping = true;
    try {
      const response = await fetch(location.href, { headers: { Accept: "text/html" } });
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = doc.querySelector<HTMLElement>("main");
      if (!fresh) return;
      const adopted = document.importNode(fresh, true);
      this.onSwap(main, adopted);
    } catch (e) {
      console.warn("topology: cannot refresh the page", e);
    } finally {
      this.swapping = false;
    }
  }
}
