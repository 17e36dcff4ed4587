// Live views: every <canvas data-connector="d/i"> visible on screen is watched, hidden ones are not.
// Canvases are handed to the decode worker; frames go there and come back as "drawn", which we Ack.
// A canvas marked data-video may be sent the stream's video path instead (see video.ts), when this browser can.
import type { DashboardHub } from "./hub";
import type { FrameMessage } from "./generated/contract";
import { connectorKey, parseKey, type FromWorker, type ToWorker } from "./messages";
import { VIDEO_FAMILY, VideoPresenter, videoSupport, type VideoSupport } from "./video";

const WATCH_RETRY_MS = 2000;

export interface FrameObserver {
  (frame: FrameMessage, decodeMs: number, drawnAt: number): void;
}

export class LiveViews {
  private readonly worker: Worker;
  private readonly observer: IntersectionObserver;
  private readonly ids = new WeakMap<HTMLCanvasElement, number>();
  private readonly visible = new Map<number, string>();
  private readonly watched = new Set<string>();
  private readonly pending = new Map<string, FrameMessage>();
  /** The box a key's canvas asks for (data-max-width/height): the server sends frames scaled to fit it. */
  private readonly boxes = new Map<string, { maxWidth: number; maxHeight: number }>();
  private nextId = 1;
  private onDrawn: FrameObserver | null = null;
  /** The video of each connector shown here by a canvas marked data-video (when the browser can present it). */
  private readonly videos = new Map<string, VideoPresenter>();
  private videoSupport: VideoSupport | undefined;

  constructor(private readonly hub: DashboardHub) {
    this.worker = new Worker(new URL("./decode-worker.js", import.meta.url), { type: "module" });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.fromWorker(e.data);
    this.observer = new IntersectionObserver((entries) => this.onIntersect(entries), { threshold: 0 });

    hub.on("Frame", (frame) => {
      const key = connectorKey(frame.domId, frame.index);
      if (!this.watched.has(key)) return;
      if (frame.video) {
        this.videoChunk(key, frame);
        return;
      }
      this.pending.set(`${key}#${frame.id}`, frame);
      // The payloads move to the worker, not copied: MessagePack hands us views of the message's buffer.
      const buffers = new Set<ArrayBuffer>();
      for (const r of frame.rects) if (typeof r.data !== "string") buffers.add(r.data.buffer as ArrayBuffer);
      this.post({ type: "frame", frame }, [...buffers]);
    });
    hub.on("Blank", (m) => {
      const key = connectorKey(m.domId, m.index);
      this.videos.get(key)?.showCanvas();
      this.post({ type: "blank", key });
    });
    // After a reconnection the server knows nothing of us: watch again (it sends a full frame first).
    hub.whenConnected(() => {
      this.watched.clear();
      this.sync();
    });
  }

  /** Called with each frame once drawn (for the stats overlay). */
  set frameDrawn(observer: FrameObserver) {
    this.onDrawn = observer;
  }

  /**
   * What the page says of a connector's path, given the stream's ("tiles" or "video"): a view that wanted
   * video in a browser that cannot present it says so.
   */
  pathOf(key: string, streamPath: string | undefined): string {
    const wantsVideo = document.querySelector(`canvas[data-connector="${key}"][data-video]`) !== null;
    if (wantsVideo && typeof this.videoSupport === "string") return "video unsupported: tiles";
    return streamPath ?? "–";
  }

  /** Takes over every live canvas in root that is not ours yet. */
  scan(root: ParentNode = document): void {
    for (const canvas of root.querySelectorAll<HTMLCanvasElement>("canvas[data-connector]")) {
      if (this.ids.has(canvas)) continue;
      const key = canvas.dataset.connector ?? "";
      if (!parseKey(key)) continue;
      const id = this.nextId++;
      this.ids.set(canvas, id);
      canvas.dataset.canvasId = String(id);
      const maxWidth = Number(canvas.dataset.maxWidth ?? 0), maxHeight = Number(canvas.dataset.maxHeight ?? 0);
      if (maxWidth > 0 || maxHeight > 0) this.boxes.set(key, { maxWidth, maxHeight });
      else this.boxes.delete(key);
      const offscreen = canvas.transferControlToOffscreen();
      this.post({ type: "attach", canvasId: id, key, canvas: offscreen }, [offscreen]);
      if (canvas.dataset.video !== undefined && this.videoSupport === null && !this.videos.has(key)) this.addVideo(key, canvas);
      this.observer.observe(canvas);
    }
  }

  /** Lets go of the canvases in root (before it is replaced). */
  release(root: ParentNode): void {
    for (const canvas of root.querySelectorAll<HTMLCanvasElement>("canvas[data-connector]")) {
      const id = this.ids.get(canvas);
      if (id === undefined) continue;
      this.observer.unobserve(canvas);
      this.visible.delete(id);
      const key = canvas.dataset.connector ?? "";
      const video = this.videos.get(key);
      if (video && canvas.nextElementSibling === video.video) {
        video.dispose();
        this.videos.delete(key);
      }
      this.post({ type: "detach", canvasId: id });
      this.ids.delete(canvas);
    }
    this.sync();
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    for (const e of entries) {
      const canvas = e.target as HTMLCanvasElement;
      const id = this.ids.get(canvas);
      if (id === undefined) continue;
      if (e.isIntersecting) this.visible.set(id, canvas.dataset.connector ?? "");
      else this.visible.delete(id);
    }
    this.sync();
  }

  /** Watches every key with a visible canvas, unwatches the rest. */
  private sync(): void {
    if (!this.hub.isConnected) return;
    const wanted = new Set(this.visible.values());
    for (const key of wanted) {
      if (this.watched.has(key)) continue;
      this.watched.add(key);
      void this.watch(key);
    }
    for (const key of [...this.watched]) {
      if (wanted.has(key)) continue;
      this.watched.delete(key);
      const k = parseKey(key);
      if (k) this.hub.send("Unwatch", k[0], k[1]);
    }
  }

  private async watch(key: string): Promise<void> {
    const k = parseKey(key);
    if (!k) return;
    if (this.videoSupport === undefined) {
      this.videoSupport = await videoSupport();
      if (this.videoSupport !== null) console.info(`video path unavailable (${this.videoSupport}): tiles`);
      else
        for (const c of document.querySelectorAll<HTMLCanvasElement>("canvas[data-connector][data-video]"))
          if (this.ids.has(c) && !this.videos.has(c.dataset.connector ?? "")) this.addVideo(c.dataset.connector ?? "", c);
      if (!this.watched.has(key)) return;
    }
    // A thumbnail asks for its box (and tiles); a full-size view with a video presenter also for the video path.
    const box = this.boxes.get(key);
    const options = { ...(box ?? { maxWidth: 0, maxHeight: 0 }), videoCodecs: !box && this.videos.has(key) ? [VIDEO_FAMILY] : [] };
    const size = await this.hub.invoke("WatchWith", k[0], k[1], options);
    if (size) this.post({ type: "size", key, width: size.width, height: size.height });
    else {
      // Refused (a connector the backend has not served yet): try again while its canvas is on screen.
      this.watched.delete(key);
      setTimeout(() => this.sync(), WATCH_RETRY_MS);
    }
  }

  private fromWorker(m: FromWorker): void {
    if (m.type === "error") {
      console.warn(`connector ${m.key}: frame ${m.id} not drawn: ${m.message}`);
      const k = parseKey(m.key);
      // Acknowledged all the same: the server must not wait for a frame that will never be drawn.
      if (k && m.id >= 0) {
        this.pending.delete(`${m.key}#${m.id}`);
        this.hub.send("Ack", k[0], k[1], m.id);
      }
      return;
    }
    const key = connectorKey(m.domId, m.index);
    const frame = this.pending.get(`${key}#${m.id}`);
    this.pending.delete(`${key}#${m.id}`);
    this.hub.send("Ack", m.domId, m.index, m.id);
    // Tiles again (the stream left video): the canvas, with this lossless frame, shows.
    this.videos.get(key)?.showCanvas();
    if (frame && this.onDrawn) this.onDrawn(frame, m.decodeMs, Date.now());
  }

  private addVideo(key: string, canvas: HTMLCanvasElement): void {
    const k = parseKey(key);
    if (!k) return;
    this.videos.set(key, new VideoPresenter(canvas, {
      done: (frame, decodeMs, drawn) => {
        this.hub.send("Ack", frame.domId, frame.index, frame.id);
        if (drawn && this.onDrawn) this.onDrawn(frame, decodeMs, Date.now());
      },
      wantKey: () => this.hub.send("KeyFrame", k[0], k[1]),
    }));
  }

  /** A video chunk: to the connector's presenter; acknowledged at once if there is none (nothing will draw it). */
  private videoChunk(key: string, frame: FrameMessage): void {
    const video = this.videos.get(key);
    if (video) video.chunk(frame);
    else this.hub.send("Ack", frame.domId, frame.index, frame.id);
  }

  private post(message: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }
}
