// The one SignalR connection of a page: /hubs/dashboard over the MessagePack protocol (frame payloads arrive as
// bytes), the role cookie rides along, reconnecting for good.
import * as signalR from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";
import type { DashboardClientMessages, DashboardHubMethods } from "./generated/contract";

export type HubListener = () => void;

/** A message the hub sends a page (IDashboardClient), and a method a page may call on it (IDashboardHub). */
export type HubMessage = keyof DashboardClientMessages;
export type HubMethod = keyof DashboardHubMethods;
type Args<M extends HubMethod> = Parameters<DashboardHubMethods[M]>;
type Answer<M extends HubMethod> = ReturnType<DashboardHubMethods[M]>;

export class DashboardHub {
  readonly connection: signalR.HubConnection;
  private readonly topics = new Set<string>(["topology"]);
  private readonly onConnected: HubListener[] = [];
  private state = "offline";

  constructor(path = "/hubs/dashboard") {
    this.connection = new signalR.HubConnectionBuilder()
      .withUrl(path)
      .withHubProtocol(new MessagePackHubProtocol())
      .withAutomaticReconnect({
        // Keep trying forever: every 0.5, 1, 2, 4 then 5 seconds.
        nextRetryDelayInMilliseconds: (ctx) => Math.min(500 * 2 ** ctx.previousRetryCount, 5000),
      })
      .configureLogging(signalR.LogLevel.Warning)
      .build();
    this.connection.onreconnecting(() => this.showState("reconnecting"));
    this.connection.onreconnected(() => this.connected());
    this.connection.onclose(() => {
      this.showState("offline");
      // withAutomaticReconnect gave up (it never does with our policy) or the first start failed: start over.
      setTimeout(() => void this.start(), 5000);
    });
  }

  /** Handles a message the server sends (docs/dashboard-contract.md), with the JSON protocol's camelCase names. */
  on<M extends HubMessage>(method: M, handler: (message: DashboardClientMessages[M]) => void): void {
    this.connection.on(method, (message: unknown) => handler(camelCase(message) as DashboardClientMessages[M]));
  }

  /** Runs now if connected, and after every (re)connection. */
  whenConnected(listener: HubListener): void {
    this.onConnected.push(listener);
    if (this.isConnected) listener();
  }

  get isConnected(): boolean {
    return this.connection.state === signalR.HubConnectionState.Connected;
  }

  /** Joins a topic now and again after each reconnection. */
  subscribe(topic: string): void {
    if (this.topics.has(topic)) return;
    this.topics.add(topic);
    if (this.isConnected) void this.invoke("Subscribe", topic);
  }

  async start(): Promise<void> {
    try {
      this.showState("connecting");
      await this.connection.start();
      await this.connected();
    } catch (e) {
      console.warn("dashboard hub: cannot connect", e);
      this.showState("offline");
      setTimeout(() => void this.start(), 3000);
    }
  }

  async invoke<M extends HubMethod>(method: M, ...args: Args<M>): Promise<Answer<M> | undefined> {
    try {
      return camelCase(await this.connection.invoke<unknown>(method, ...args.map(csharpCase))) as Answer<M>;
    } catch (e) {
      console.warn(`dashboard hub: ${method} failed`, e);
      return undefined;
    }
  }

  /** Invokes a hub method; a refusal or a lost connection throws (for callers that show the error). */
  async call<M extends HubMethod>(method: M, ...args: Args<M>): Promise<Answer<M>> {
    return camelCase(await this.connection.invoke<unknown>(method, ...args.map(csharpCase))) as Answer<M>;
  }

  send<M extends HubMethod>(method: M, ...args: Args<M>): void {
    if (!this.isConnected) return;
    this.connection.send(method, ...args.map(csharpCase)).catch((e: unknown) => console.warn(`dashboard hub: ${method} failed`, e));
  }

  private async connected(): Promise<void> {
    this.showState("live");
    for (const t of this.topics) if (t !== "topology") await this.invoke("Subscribe", t);
    for (const l of this.onConnected) l();
  }

  private showState(state: string): void {
    this.state = state;
    this.paint(document);
  }

  /** Shows the connection's state on root's [data-hub-state] pills (the page's header may be rendered anew). */
  paint(root: ParentNode): void {
    for (const el of root.querySelectorAll<HTMLElement>("[data-hub-state]")) {
      el.textContent = this.state;
      el.dataset.hubState = this.state;
      el.classList.toggle("ok", this.state === "live");
      el.classList.toggle("bad", this.state === "offline");
    }
  }
}

/**
 * MessagePack carries the C# names (DomId); the contract and the JSON protocol use camelCase (domId). Renames
 * object keys in place of copying bytes: byte arrays, dates and strings pass through untouched.
 */
export function camelCase(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = camelCase(value[i]);
    return value;
  }
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value) || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k.length > 0 ? k[0].toLowerCase() + k.slice(1) : k] = camelCase(v);
  return out;
}

/** The other way: objects the page sends carry the C# names, which MessagePack matches exactly. */
export function csharpCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(csharpCase);
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value) || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k.length > 0 ? k[0].toUpperCase() + k.slice(1) : k] = csharpCase(v);
  return out;
}
