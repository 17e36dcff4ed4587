// The live trace table: rows from the hub's Trace batches, filtered, pausable, bounded to the newest rows.
import type { DashboardHub } from "./hub";
import type { TraceEntryView } from "./generated/contract";

type Filter = { domId: string; devId: string; connector: string; operation: string; kind: string; text: string };

export class TraceView {
  private readonly body: HTMLTableSectionElement;
  private readonly maxRows: number;
  private readonly count: HTMLElement | null;
  private readonly pause: HTMLInputElement | null;
  private lastSeq = -1;
  private held: TraceEntryView[] = [];
  private filter: Filter = { domId: "", devId: "", connector: "", operation: "", kind: "", text: "" };

  constructor(hub: DashboardHub, table: HTMLTableElement) {
    this.body = table.tBodies[0] ?? table.createTBody();
    this.maxRows = Number(table.dataset.maxRows ?? "2000") || 2000;
    this.count = document.querySelector<HTMLElement>("[data-trace-count]");
    this.pause = document.querySelector<HTMLInputElement>("[data-trace-pause]");
    for (const row of this.body.rows) this.lastSeq = Math.max(this.lastSeq, Number(row.dataset.seq ?? -1));

    for (const input of document.querySelectorAll<HTMLInputElement | HTMLSelectElement>("[data-trace-filter]")) {
      input.addEventListener("input", () => this.readFilter());
      input.addEventListener("change", () => this.readFilter());
    }
    this.pause?.addEventListener("change", () => {
      if (!this.pause?.checked) this.flush();
    });

    hub.subscribe("trace");
    hub.on("Trace", (entries) => this.receive(entries));
    // On (re)connection, fetch what was traced while we were away.
    hub.whenConnected(() => void this.catchUp());
    this.readFilter();
  }

  private async catchUp(): Promise<void> {
    try {
      const r = await fetch(`/api/trace?after=${this.lastSeq}&limit=${this.maxRows}`, { headers: { Accept: "application/json" } });
      if (r.ok) this.receive((await r.json()) as TraceEntryView[]);
    } catch (e) {
      console.warn("trace: cannot catch up", e);
    }
  }

  private receive(entries: TraceEntryView[]): void {
    const fresh = entries.filter((e) => e.seq > this.lastSeq);
    if (fresh.length === 0) return;
    this.lastSeq = fresh[fresh.length - 1].seq;
    this.held.push(...fresh);
    if (this.held.length > this.maxRows) this.held.splice(0, this.held.length - this.maxRows);
    if (!this.pause?.checked) this.flush();
  }

  private flush(): void {
    if (this.held.length === 0) return;
    const fragment = document.createDocumentFragment();
    for (let i = this.held.length - 1; i >= 0; i--) fragment.appendChild(this.row(this.held[i]));
    this.held = [];
    this.body.insertBefore(fragment, this.body.firstChild);
    while (this.body.rows.length > this.maxRows) this.body.deleteRow(this.body.rows.length - 1);
    this.updateCount();
  }

  private row(e: TraceEntryView): HTMLTableRowElement {
    const tr = document.createElement("tr");
    tr.setAttribute("data-testid", "trace-row");
    tr.dataset.seq = String(e.seq);
    tr.dataset.dom = String(e.domId);
    tr.dataset.dev = String(e.devId);
    tr.dataset.conn = String(e.connector);
    tr.dataset.op = e.operation;
    tr.dataset.kind = e.kind;
    tr.className = `k-${e.kind.toLowerCase()}${e.status < 0 ? " fail" : ""}`;
    const time = new Date(e.time);
    const cells = [
      String(e.seq),
      time.toISOString().slice(11, 23),
      String(e.domId),
      e.devId < 0 ? "–" : String(e.devId),
      e.connector < 0 ? "–" : String(e.connector),
      e.kind,
      String(e.id),
      e.operation,
      String(e.status),
      e.elapsedUs == null ? "" : String(Math.round(e.elapsedUs * 10) / 10),
      e.text,
    ];
    cells.forEach((text, i) => {
      const td = tr.insertCell();
      td.textContent = text;
      if (i === 10) td.className = "text";
      else if (i !== 5 && i !== 7) td.className = "num";
    });
    tr.hidden = !this.matches(tr);
    return tr;
  }

  private readFilter(): void {
    const f: Filter = { domId: "", devId: "", connector: "", operation: "", kind: "", text: "" };
    for (const input of document.querySelectorAll<HTMLInputElement | HTMLSelectElement>("[data-trace-filter]")) {
      const name = input.dataset.traceFilter as keyof Filter;
      if (name in f) f[name] = input.value.trim();
    }
    this.filter = f;
    for (const row of this.body.rows) row.hidden = !this.matches(row);
    this.updateCount();
  }

  private matches(row: HTMLTableRowElement): boolean {
    const f = this.filter;
    if (f.domId && row.dataset.dom !== f.domId) return false;
    if (f.devId && row.dataset.dev !== f.devId) return false;
    if (f.connector && row.dataset.conn !== f.connector) return false;
    if (f.operation && row.dataset.op !== f.operation) return false;
    if (f.kind && row.dataset.kind !== f.kind) return false;
    if (f.text && !(row.textContent ?? "").toLowerCase().includes(f.text.toLowerCase())) return false;
    return true;
  }

  private updateCount(): void {
    if (!this.count) return;
    let shown = 0;
    for (const row of this.body.rows) if (!row.hidden) shown++;
    this.count.textContent = `${shown} of ${this.body.rows.length} rows`;
  }
}
