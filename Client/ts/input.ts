// An operator's input on a connector page: keyboard, pointer, buttons, wheel and touch captured on the live view
// while grabbed, turned into the hub's SendInput events (Shared/Kbdif/InputEventSpec.cs) in guest pixels, and sent
// in order. The page renders [data-input-for] (with the server's key table) for operators only: a viewer's page
// has nothing here to capture with.
import type { InputAcceptedView, InputEventSpec, InputMap } from "./generated/contract";
import type { DashboardHub } from "./hub";
import { connectorKey, parseKey } from "./messages";

/** Fields of SendInput's event (InputEventSpec), each one given. */
type Given<K extends keyof InputEventSpec> = { [F in K]-?: NonNullable<InputEventSpec[F]> };

/** An event as this page sends it to SendInput: an InputEventSpec with the fields its type and event need. */
export type InputEvent =
  | ({ type: "key" } & Given<"code" | "pressed">)
  | ({ type: "pos" } & Given<"x" | "y" | "z">)
  | ({ type: "mtouch"; event: "down" | "motion" } & Given<"contact" | "x" | "y">)
  | ({ type: "mtouch"; event: "up" | "syn" } & Given<"contact">)
  | ({ type: "mtouch"; event: "shape" } & Given<"contact" | "major" | "minor">);

/** MouseEvent.buttons' bit for each MouseEvent.button (0 main, 1 auxiliary, 2 secondary, 3 back, 4 forward). */
const BUTTON_BITS = [1, 4, 2, 8, 16];

/** A wheel notch: Chromium and Firefox scroll 100 pixels or 3 lines for one. */
const WHEEL_PIXELS_PER_NOTCH = 100;
const WHEEL_LINES_PER_NOTCH = 3;

/** Where a CSS point falls in the guest's picture, and how many guest pixels one CSS pixel is each way. */
export interface GuestPoint {
  x: number;
  y: number;
  perCssX: number;
  perCssY: number;
}

/**
 * The guest pixel under (clientX, clientY) on an element showing a width x height picture: through its content box
 * and its object-fit and object-position (the letterbox of "contain" included), clamped to 0..width-1, 0..height-1.
 */
export function guestPoint(el: HTMLElement, width: number, height: number, clientX: number, clientY: number): GuestPoint {
  const rect = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const px = (v: string): number => parseFloat(v) || 0;
  const boxLeft = rect.left + el.clientLeft + px(style.paddingLeft);
  const boxTop = rect.top + el.clientTop + px(style.paddingTop);
  const boxW = el.clientWidth - px(style.paddingLeft) - px(style.paddingRight);
  const boxH = el.clientHeight - px(style.paddingTop) - px(style.paddingBottom);
  let sx = boxW / width;
  let sy = boxH / height;
  switch (style.objectFit) {
    case "contain":
      sx = sy = Math.min(sx, sy);
      break;
    case "cover":
      sx = sy = Math.max(sx, sy);
      break;
    case "none":
      sx = sy = 1;
      break;
    case "scale-down":
      sx = sy = Math.min(1, sx, sy);
      break;
  }
  const [posX, posY] = objectPosition(style.objectPosition);
  const left = boxLeft + posX(boxW - width * sx);
  const top = boxTop + posY(boxH - height * sy);
  const clamp = (v: number, size: number): number => Math.min(size - 1, Math.max(0, Math.floor(v)));
  return { x: clamp((clientX - left) / sx, width), y: clamp((clientY - top) / sy, height), perCssX: 1 / sx, perCssY: 1 / sy };
}

/** object-position's two offsets as functions of the free space ("50% 50%", "0px 10px"); anything else centres. */
function objectPosition(value: string): [(free: number) => number, (free: number) => number] {
  const one = (part: string | undefined): ((free: number) => number) => {
    if (part?.endsWith("%")) return (free) => (free * parseFloat(part)) / 100;
    if (part?.endsWith("px")) return () => parseFloat(part);
    return (free) => free / 2;
  };
  const [x, y] = value.trim().split(/\s+/);
  return [one(x), one(y)];
}

/** One queue to the hub: in order, one SendInput in flight at a time, what queued meanwhile going as the next batch. */
export class InputSender {
  private readonly queue: InputEvent[] = [];
  private busy = false;

  constructor(
    private readonly invoke: (events: InputEvent[]) => Promise<InputAcceptedView>,
    private readonly maxEvents: number,
    private readonly answered: (answer: InputAcceptedView, sent: number) => void,
    private readonly failed: (error: unknown) => void,
  ) {}

  push(e: InputEvent): void {
    this.queue.push(e);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxEvents);
        try {
          this.answered(await this.invoke(batch), batch.length);
        } catch (e) {
          this.failed(e);
        }
      }
    } finally {
      this.busy = false;
    }
  }
}

/** The capture of one connector's live view and the panel that shows it. */
class InputCapture {
  private readonly abort = new AbortController();
  private readonly map: InputMap;
  private readonly release: string[];
  private readonly width: number;
  private readonly height: number;
  private readonly sender: InputSender;
  private readonly canvas: HTMLCanvasElement;
  private grabbed = false;
  /** KeyboardEvent.code of each key pressed to the guest and not yet released. */
  private readonly keysHeld = new Set<string>();
  /** MouseEvent.button of each button pressed to the guest and not yet released. */
  private readonly buttonsHeld = new Set<number>();
  /** The guest's touch contact of each touch pointer down. */
  private readonly contacts = new Map<number, number>();
  /** The latest pointer move (one per animation frame), and each contact's latest touch move. */
  private pendingMove: { x: number; y: number } | null = null;
  private readonly pendingTouches = new Map<number, { x: number; y: number }>();
  /** A touch event went out this frame: the frame ends with a syn (on this contact). */
  private synContact: number | null = null;
  private frame = 0;
  /** A move (or touch frame) went out in the current animation frame. */
  private frameUsed = false;
  private wheel = 0;
  private sent = 0;

  constructor(
    hub: DashboardHub,
    readonly key: string,
    private readonly view: HTMLElement,
    private readonly panel: HTMLElement,
  ) {
    this.map = JSON.parse(panel.dataset.inputMap ?? "{}") as InputMap;
    this.release = (panel.dataset.release ?? "").split(",").filter((m) => m !== "");
    this.width = Number(view.dataset.guestWidth);
    this.height = Number(view.dataset.guestHeight);
    this.canvas = view.querySelector<HTMLCanvasElement>("canvas") as HTMLCanvasElement;
    const [domId, index] = parseKey(key) ?? [0, 0];
    this.sender = new InputSender(
      (events) => hub.call("SendInput", domId, index, events),
      Math.max(1, this.map.maxEvents),
      (answer, sent) => this.answered(answer, sent),
      (error) => this.showError(error),
    );

    const on = <K extends keyof HTMLElementEventMap>(target: HTMLElement, type: K, handler: (e: HTMLElementEventMap[K]) => void, passive = true) =>
      target.addEventListener(type, handler, { signal: this.abort.signal, passive });
    const grab = panel.querySelector<HTMLElement>("[data-input-grab]");
    if (grab) {
      // The button must not take the focus from the view: that would ungrab before the click toggles.
      on(grab, "mousedown", (e) => e.preventDefault(), false);
      on(grab, "click", () => (this.grabbed ? this.ungrab() : this.grab()));
    }
    for (const type of ["pointerdown", "pointermove", "pointerup", "pointercancel"] as const) on(view, type, (e) => this.pointer(e), false);
    on(view, "wheel", (e) => this.onWheel(e), false);
    on(view, "contextmenu", (e) => this.grabbed && e.preventDefault(), false);
    on(view, "keydown", (e) => this.keyDown(e), false);
    on(view, "keyup", (e) => this.keyUp(e), false);
    on(view, "focus", () => this.show());
    on(view, "blur", () => this.ungrab());
    window.addEventListener("blur", () => this.ungrab(), { signal: this.abort.signal });
    window.addEventListener("pagehide", () => this.ungrab(), { signal: this.abort.signal });
    document.addEventListener("visibilitychange", () => document.hidden && this.ungrab(), { signal: this.abort.signal });
    this.show();
  }

  /** What the guest's compositor consumed (Topology's input.lastSeq). */
  consumed(lastSeq: number): void {
    this.field("consumed", lastSeq >= 0 ? String(lastSeq) : "–");
  }

  /** Lets go of everything held and of the page (before its view is replaced). */
  dispose(): void {
    this.ungrab();
    this.abort.abort();
    if (this.frame) cancelAnimationFrame(this.frame);
  }

  contains(root: ParentNode): boolean {
    return root.contains(this.panel);
  }

  private grab(): void {
    this.grabbed = true;
    this.wheel = 0;
    this.view.focus({ preventScroll: true });
    this.show();
  }

  /** Ungrabs; every key, button and touch still held is released to the guest first (never a stuck key). */
  private ungrab(): void {
    if (!this.grabbed) return;
    this.flushPending();
    for (const code of this.keysHeld) this.sender.push({ type: "key", code: this.map.keys[code], pressed: false });
    for (const button of this.buttonsHeld) this.sender.push({ type: "key", code: this.map.buttons[button], pressed: false });
    for (const contact of this.contacts.values()) {
      this.sender.push({ type: "mtouch", event: "up", contact });
      this.synContact = contact;
    }
    this.endFrame();
    this.keysHeld.clear();
    this.buttonsHeld.clear();
    this.contacts.clear();
    this.grabbed = false;
    this.show();
  }

  private keyDown(e: KeyboardEvent): void {
    if (!this.grabbed) return;
    e.preventDefault();
    e.stopPropagation();
    // The guest repeats a held key itself.
    if (e.repeat || this.keysHeld.has(e.code)) return;
    const code = this.map.keys[e.code];
    if (code === undefined) return;
    this.keysHeld.add(e.code);
    this.flushPending();
    this.sender.push({ type: "key", code, pressed: true });
    if (this.release.length > 0 && this.release.every((m) => this.keysHeld.has(`${m}Left`) || this.keysHeld.has(`${m}Right`))) this.ungrab();
  }

  private keyUp(e: KeyboardEvent): void {
    if (!this.grabbed) return;
    e.preventDefault();
    e.stopPropagation();
    if (!this.keysHeld.delete(e.code)) return;
    this.flushPending();
    this.sender.push({ type: "key", code: this.map.keys[e.code], pressed: false });
  }

  private pointer(e: PointerEvent): void {
    if (!this.grabbed || (e.target as Element | null)?.closest("button")) return;
    e.preventDefault();
    const p = guestPoint(this.canvas, this.width, this.height, e.clientX, e.clientY);
    if (e.pointerType === "touch") {
      this.touch(e, p);
      return;
    }
    if (e.type === "pointerdown") this.view.setPointerCapture(e.pointerId);
    this.pendingMove = { x: p.x, y: p.y };
    // Buttons as keys, in order after the move to where they were pressed; chorded ones come as pointermove.
    for (let button = 0; button < this.map.buttons.length && button < BUTTON_BITS.length; button++) {
      const down = (e.buttons & BUTTON_BITS[button]) !== 0;
      if (down === this.buttonsHeld.has(button)) continue;
      if (down) this.buttonsHeld.add(button);
      else this.buttonsHeld.delete(button);
      this.flushPending();
      this.sender.push({ type: "key", code: this.map.buttons[button], pressed: down });
    }
    this.schedule();
  }

  private touch(e: PointerEvent, p: GuestPoint): void {
    switch (e.type) {
      case "pointerdown": {
        const contact = this.freeContact();
        if (contact < 0) return;
        this.contacts.set(e.pointerId, contact);
        this.view.setPointerCapture(e.pointerId);
        this.flushPending();
        this.sender.push({ type: "mtouch", event: "down", contact, x: p.x, y: p.y });
        if (e.width > 1 || e.height > 1) {
          const w = Math.round(e.width * p.perCssX), h = Math.round(e.height * p.perCssY);
          this.sender.push({ type: "mtouch", event: "shape", contact, major: Math.max(w, h), minor: Math.min(w, h) });
        }
        this.synContact = contact;
        break;
      }
      case "pointermove": {
        const contact = this.contacts.get(e.pointerId);
        if (contact === undefined) return;
        this.pendingTouches.set(contact, { x: p.x, y: p.y });
        break;
      }
      default: {
        const contact = this.contacts.get(e.pointerId);
        if (contact === undefined) return;
        this.contacts.delete(e.pointerId);
        this.flushPending();
        this.sender.push({ type: "mtouch", event: "up", contact });
        this.synContact = contact;
      }
    }
    this.schedule();
  }

  private freeContact(): number {
    const used = new Set(this.contacts.values());
    for (let c = 0; c < this.map.contacts; c++) if (!used.has(c)) return c;
    return -1;
  }

  private onWheel(e: WheelEvent): void {
    if (!this.grabbed) return;
    e.preventDefault();
    const perNotch = e.deltaMode === WheelEvent.DOM_DELTA_PIXEL ? WHEEL_PIXELS_PER_NOTCH : e.deltaMode === WheelEvent.DOM_DELTA_LINE ? WHEEL_LINES_PER_NOTCH : 1;
    // Linux's REL_WHEEL: +1 a notch up (the browser's deltaY is negative up).
    this.wheel -= e.deltaY / perNotch;
    const notches = Math.trunc(this.wheel);
    if (notches === 0) return;
    this.wheel -= notches;
    const p = guestPoint(this.canvas, this.width, this.height, e.clientX, e.clientY);
    this.flushTouches();
    // The wheel's pos is the pointer's latest place: it stands for a move still pending.
    this.pendingMove = null;
    this.sender.push({ type: "pos", x: p.x, y: p.y, z: notches });
  }

  /**
   * At most one move per animation frame, sent on the leading edge: the first move of a frame goes at once (an
   * isolated move does not wait up to a frame), what follows within the frame is merged and goes at the next.
   */
  private schedule(): void {
    if (!this.hasPending()) return;
    if (!this.frameUsed) this.sendFrame();
    this.requestTick();
  }

  private hasPending(): boolean {
    return this.pendingMove !== null || this.pendingTouches.size > 0 || this.synContact !== null;
  }

  private sendFrame(): void {
    this.frameUsed = true;
    this.flushPending();
    this.endFrame();
  }

  private requestTick(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.frameUsed = false;
      if (!this.hasPending()) return;
      this.sendFrame();
      this.requestTick();
    });
  }

  /** What waits for the frame goes out now, before a key, button or touch that follows it. */
  private flushPending(): void {
    if (this.pendingMove) {
      this.sender.push({ type: "pos", x: this.pendingMove.x, y: this.pendingMove.y, z: 0 });
      this.pendingMove = null;
    }
    this.flushTouches();
  }

  private flushTouches(): void {
    for (const [contact, p] of this.pendingTouches) {
      this.sender.push({ type: "mtouch", event: "motion", contact, x: p.x, y: p.y });
      this.synContact = contact;
    }
    this.pendingTouches.clear();
  }

  /** A frame's touch events end with a syn. */
  private endFrame(): void {
    if (this.synContact === null) return;
    this.sender.push({ type: "mtouch", event: "syn", contact: this.synContact });
    this.synContact = null;
  }

  private answered(answer: InputAcceptedView, sent: number): void {
    this.sent += sent;
    this.field("sent", String(this.sent));
    if (answer.lastSeq >= 0) {
      this.view.dataset.lastInputSeq = String(answer.lastSeq);
      this.field("answered", String(answer.lastSeq));
    }
    if (answer.refused > 0) this.showError(`${answer.refused} of ${sent} events refused by the guest's vkbd device`);
    else this.showError(null);
  }

  private showError(error: unknown): void {
    const out = this.panel.querySelector<HTMLElement>("[data-input-error]");
    if (!out) return;
    if (error === null) {
      out.textContent = "";
      delete out.dataset.state;
      return;
    }
    out.textContent = error instanceof Error ? error.message : String(error);
    out.dataset.state = "error";
  }

  private show(): void {
    const state = this.grabbed ? "grabbed" : document.activeElement === this.view ? "focused" : "released";
    this.field("state", state);
    this.view.toggleAttribute("data-grabbed", this.grabbed);
    this.panel.dataset.inputState = state;
    const grab = this.panel.querySelector<HTMLElement>("[data-input-grab]");
    if (grab) {
      grab.setAttribute("aria-pressed", String(this.grabbed));
      grab.textContent = this.grabbed ? "Release input" : "Grab input";
    }
  }

  private field(name: string, text: string): void {
    const el = this.panel.querySelector<HTMLElement>(`[data-input-${name}]`);
    if (el && el.textContent !== text) el.textContent = text;
  }
}

/** Every input capture on the page: taken over from the markup, let go of before it is replaced. */
export class InputViews {
  private readonly captures = new Map<string, InputCapture>();

  constructor(private readonly hub: DashboardHub) {
    hub.on("Topology", (domains) => {
      for (const d of domains)
        for (const c of d.connectors) {
          const capture = this.captures.get(connectorKey(d.domId, c.index));
          if (capture && c.input) capture.consumed(c.input.lastSeq);
        }
    });
  }

  scan(root: ParentNode = document): void {
    for (const panel of root.querySelectorAll<HTMLElement>("[data-input-for]")) {
      const key = panel.dataset.inputFor ?? "";
      const view = root.querySelector<HTMLElement>(`[data-input-target="${key}"]`);
      if (!view || !parseKey(key) || this.captures.has(key)) continue;
      this.captures.set(key, new InputCapture(this.hub, key, view, panel));
    }
  }

  release(root: ParentNode): void {
    for (const [key, capture] of this.captures) {
      if (!capture.contains(root)) continue;
      capture.dispose();
      this.captures.delete(key);
    }
  }
}
