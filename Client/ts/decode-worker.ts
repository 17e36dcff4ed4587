// The decode worker: owns every live canvas (transferred as OffscreenCanvas), decodes all rects of a
// frame in parallel, draws them together, then tells the main thread, which acknowledges the frame.
import type { FrameMessage } from "./generated/contract";
import { bytesOf, connectorKey, type FromWorker, type ToWorker } from "./messages";

interface WorkerScope {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
}

const scope = self as unknown as WorkerScope;

interface Surface {
  key: string;
  canvas: OffscreenCanvas;
  ctx: OffscreenCanvasRenderingContext2D;
}

const surfaces = new Map<number, Surface>();
/** Frames of one connector are drawn in order: each waits for the one before. */
const queues = new Map<string, Promise<void>>();

function surfacesOf(key: string): Surface[] {
  return [...surfaces.values()].filter((s) => s.key === key);
}

function resize(key: string, width: number, height: number): void {
  for (const s of surfacesOf(key)) {
    if (s.canvas.width !== width || s.canvas.height !== height) {
      s.canvas.width = width;
      s.canvas.height = height;
    }
  }
}

async function draw(frame: FrameMessage): Promise<void> {
  const key = connectorKey(frame.domId, frame.index);
  const started = performance.now();
  const bitmaps = await Promise.all(
    frame.rects.map((r) => createImageBitmap(new Blob([bytesOf(r.data)], { type: `image/${r.codec}` }))),
  );
  try {
    resize(key, frame.width, frame.height);
    for (const s of surfacesOf(key)) {
      frame.rects.forEach((r, i) => s.ctx.drawImage(bitmaps[i], r.x, r.y, r.w, r.h));
    }
  } finally {
    for (const b of bitmaps) b.close();
  }
  scope.postMessage({ type: "drawn", domId: frame.domId, index: frame.index, id: frame.id, decodeMs: performance.now() - started });
}

function enqueue(key: string, work: () => Promise<void>, id: number): void {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(work).catch((e: unknown) => {
    scope.postMessage({ type: "error", key, id, message: e instanceof Error ? e.message : String(e) });
  });
  queues.set(key, next);
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  switch (m.type) {
    case "attach": {
      const ctx = m.canvas.getContext("2d", { alpha: false });
      if (ctx) {
        ctx.fillStyle = "#000";
        ctx.fillRect(0, 0, m.canvas.width, m.canvas.height);
        surfaces.set(m.canvasId, { key: m.key, canvas: m.canvas, ctx });
      }
      break;
    }
    case "detach":
      surfaces.delete(m.canvasId);
      break;
    case "size":
      enqueue(m.key, async () => resize(m.key, m.width, m.height), -1);
      break;
    case "frame":
      enqueue(connectorKey(m.frame.domId, m.frame.index), () => draw(m.frame), m.frame.id);
      break;
    case "blank":
      enqueue(m.key, async () => {
        for (const s of surfacesOf(m.key)) {
          s.ctx.fillStyle = "#000";
          s.ctx.fillRect(0, 0, s.canvas.width, s.canvas.height);
        }
      }, -1);
      break;
  }
};
