// The video path in the browser: a stream's H.264 chunks are decoded with WebCodecs on the main thread and
// handed to a MediaStreamTrackGenerator feeding a <video> laid over the connector's canvas (the fastest way to
// present measured here: drawing VideoFrames into a 2D canvas caps far lower at 1080p).
import type { FrameMessage } from "./generated/contract";
import { bytesOf } from "./messages";

/** Chromium's generator of a track from VideoFrames (not in TypeScript's DOM library). */
declare class MediaStreamTrackGenerator extends MediaStreamTrack {
  constructor(init: { kind: "video" | "audio" });
  readonly writable: WritableStream<VideoFrame>;
}

/** The codec family the server's video path writes, in WebCodecs' words. */
export const VIDEO_FAMILY = "avc1";

/** What this browser is asked about: constrained baseline H.264 at 1080p, as the server encodes it. */
const PROBE: VideoDecoderConfig = { codec: "avc1.42E02A", codedWidth: 1920, codedHeight: 1080, optimizeForLatency: true };

/** Null when this browser can present the video path; else why not. */
export type VideoSupport = string | null;

let support: Promise<VideoSupport> | null = null;

/** Checked once a page: WebCodecs' VideoDecoder with H.264, and MediaStreamTrackGenerator. */
export function videoSupport(): Promise<VideoSupport> {
  support ??= probe();
  return support;
}

async function probe(): Promise<VideoSupport> {
  if (typeof VideoDecoder === "undefined") return "no WebCodecs";
  if (typeof (globalThis as { MediaStreamTrackGenerator?: unknown }).MediaStreamTrackGenerator === "undefined")
    return "no MediaStreamTrackGenerator";
  try {
    const answer = await VideoDecoder.isConfigSupported(PROBE);
    return answer.supported ? null : "no H.264 decoder";
  } catch (e) {
    return `no H.264 decoder (${e instanceof Error ? e.message : String(e)})`;
  }
}

export interface VideoEvents {
  /** The frame is with the generator (drawn: true) or was given up (drawn: false); either way the server may go on. */
  done(frame: FrameMessage, decodeMs: number, drawn: boolean): void;
  /** The decoder cannot go on from what it has: the next chunk must be a key frame. */
  wantKey(): void;
}

/** One connector view's video: its decoder, its generator and the <video> over its canvas. */
export class VideoPresenter {
  readonly video: HTMLVideoElement;
  private readonly generator: MediaStreamTrackGenerator;
  private readonly writer: WritableStreamDefaultWriter<VideoFrame>;
  private decoder: VideoDecoder | null = null;
  private configured = "";
  private waitingForKey = true;
  private shown = false;
  private readonly decoding = new Map<number, { frame: FrameMessage; started: number }>();

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly events: VideoEvents,
  ) {
    const video = document.createElement("video");
    video.autoplay = true;
    video.muted = true;
    video.playsInline = true;
    video.className = `${canvas.className} off`;
    video.dataset.videoFor = canvas.dataset.connector ?? "";
    video.dataset.testid = "video";
    this.generator = new MediaStreamTrackGenerator({ kind: "video" });
    video.srcObject = new MediaStream([this.generator]);
    this.writer = this.generator.writable.getWriter();
    canvas.after(video);
    this.video = video;
  }

  /** Whether the video, not the canvas, is what the page shows. */
  get showing(): boolean {
    return this.shown;
  }

  /** A chunk of the stream: decoded in order; deltas are given up until a key frame after a failure. */
  chunk(frame: FrameMessage): void {
    const chunk = frame.video;
    if (!chunk) return;
    if (chunk.key) {
      const config = `${chunk.codec}@${frame.width}x${frame.height}`;
      if (!this.decoder || this.configured !== config) this.configure(chunk.codec, frame.width, frame.height, config);
      this.waitingForKey = false;
    }
    const decoder = this.decoder;
    if (this.waitingForKey || !decoder) {
      this.events.done(frame, Number.NaN, false);
      return;
    }
    this.decoding.set(frame.id, { frame, started: performance.now() });
    try {
      decoder.decode(new EncodedVideoChunk({ type: chunk.key ? "key" : "delta", timestamp: frame.id, data: bytesOf(chunk.data) }));
    } catch (e) {
      this.fail(e);
    }
  }

  /** The stream is on tiles again: the canvas shows (once its lossless frame is drawn). */
  showCanvas(): void {
    this.shown = false;
    this.video.classList.add("off");
  }

  dispose(): void {
    this.closeDecoder();
    this.giveUpDecoding();
    void this.writer.close().catch(() => undefined);
    this.generator.stop();
    this.video.srcObject = null;
    this.video.remove();
  }

  private configure(codec: string, width: number, height: number, config: string): void {
    this.closeDecoder();
    this.giveUpDecoding();
    const decoder = new VideoDecoder({ output: (f) => this.output(decoder, f), error: (e) => this.fail(e) });
    decoder.configure({ codec, codedWidth: width, codedHeight: height, optimizeForLatency: true });
    this.decoder = decoder;
    this.configured = config;
  }

  private output(from: VideoDecoder, picture: VideoFrame): void {
    const entry = this.decoding.get(picture.timestamp);
    this.decoding.delete(picture.timestamp);
    if (from !== this.decoder) {
      picture.close();
      return;
    }
    // The generator takes the frame (and closes it once presented).
    this.writer.write(picture).catch((e: unknown) => console.warn("video: the generator refused a frame", e));
    if (!this.shown) {
      this.shown = true;
      // Shown once the <video> presents a frame, not before (it would be black meanwhile).
      this.video.requestVideoFrameCallback(() => {
        if (!this.shown) return;
        this.video.classList.remove("off");
      });
    }
    if (entry) this.events.done(entry.frame, performance.now() - entry.started, true);
  }

  private fail(e: unknown): void {
    console.warn(`video of ${this.canvas.dataset.connector}: decoding failed, asking for a key frame`, e);
    this.closeDecoder();
    this.giveUpDecoding();
    this.waitingForKey = true;
    this.events.wantKey();
  }

  private closeDecoder(): void {
    const d = this.decoder;
    this.decoder = null;
    this.configured = "";
    if (d && d.state !== "closed") d.close();
  }

  /** Frames still in the decoder will not come out: acknowledged all the same, so the server's window opens. */
  private giveUpDecoding(): void {
    for (const { frame } of this.decoding.values()) this.events.done(frame, Number.NaN, false);
    this.decoding.clear();
  }
}
