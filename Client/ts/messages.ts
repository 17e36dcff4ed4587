// The hub's messages (docs/dashboard-contract.md) and the decode worker's.

export interface FrameRect {
  x: number;
  y: number;
  w: number;
  h: number;
  codec: "png" | "jpeg";
  /** The encoded bytes: raw over MessagePack (the pages' protocol), base64 over SignalR's JSON protocol. */
  data: Uint8Array | string;
}

/** One H.264 access unit of a stream on video (Annex B): a key frame a decoder can start from, or a delta. */
export interface VideoChunk {
  /** The WebCodecs codec string, e.g. "avc1.42E02A". */
  codec: string;
  key: boolean;
  data: Uint8Array | string;
}

export interface FrameMessage {
  domId: number;
  index: number;
  id: number;
  serverTime: number;
  guestFrame: number;
  width: number;
  height: number;
  full: boolean;
  dropped: number;
  /** Tiles; empty when the frame is a video chunk. */
  rects: FrameRect[];
  video?: VideoChunk | null;
}

export interface ConnectorInfo {
  index: number;
  width: number;
  height: number;
  uniqueId: string;
  workload: string;
  state: string;
  connected: boolean;
  framesShown: number;
  framesPerSecond: number;
  /** The vkbd device's state and what the guest's compositor consumed (lastSeq: -1 before any input). */
  input?: { state: string; events: number; lastSeq: number } | null;
  [field: string]: unknown;
}

export interface DomainInfo {
  domId: number;
  name: string;
  state: string;
  beAlloc: boolean;
  backendState: string;
  misbehaving?: string | null;
  connectors: ConnectorInfo[];
  [field: string]: unknown;
}

export interface TraceEntry {
  seq: number;
  time: string;
  domId: number;
  devId: number;
  connector: number;
  kind: string;
  id: number;
  operation: string;
  status: number;
  elapsedUs: number | null;
  text: string;
}

export interface ConnectorStats {
  domId: number;
  index: number;
  guestFps: number;
  shownFps: number;
  sentFps: number;
  dropped: number;
  latencyMs: number;
  bytesPerFrame: number;
  encodeMs: number;
  codecs: Record<string, number>;
  quality: number;
  /** The stream's path: "tiles" or "video". */
  mode?: string;
}

/** Main thread to worker. */
export type ToWorker =
  | { type: "attach"; canvasId: number; key: string; canvas: OffscreenCanvas }
  | { type: "detach"; canvasId: number }
  | { type: "size"; key: string; width: number; height: number }
  | { type: "frame"; frame: FrameMessage }
  | { type: "blank"; key: string };

/** Worker to main thread. */
export type FromWorker =
  | { type: "drawn"; domId: number; index: number; id: number; decodeMs: number }
  | { type: "error"; key: string; id: number; message: string };

/** "1/0" for domain 1, connector 0. */
export function connectorKey(domId: number, index: number): string {
  return `${domId}/${index}`;
}

export function parseKey(key: string): [number, number] | null {
  const m = /^(\d+)\/(\d+)$/.exec(key);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** A payload's bytes: as they came over MessagePack, or decoded from JSON's base64. */
export function bytesOf(data: Uint8Array | string): Uint8Array<ArrayBuffer> {
  if (typeof data !== "string") return data as Uint8Array<ArrayBuffer>;
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
