// The decode worker's messages (TypeScript only) and helpers for the hub's. The hub's messages and methods are
// generated from the C# contract into ./generated/contract.ts (docs/dashboard-contract.md).
import type { FrameMessage } from "./generated/contract";

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
