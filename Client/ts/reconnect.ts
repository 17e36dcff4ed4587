// The reconnection banner (#components-reconnect-modal, rendered by ReconnectBanner.razor): Blazor reports its
// circuit's state on it; we word it, and when the server no longer knows the circuit (it restarted) we wait for it to
// answer again and load the page again by ourselves (the hub's connection, by contrast, is taken up in place).

interface ReconnectState {
  state: "show" | "hide" | "retrying" | "failed" | "rejected" | "paused" | "resume-failed";
  currentAttempt?: number;
  secondsToNextAttempt?: number;
}

const HEALTH_POLL_MS = 1000;


function banner(): HTMLElement | null {
  return document.getElementById("components-reconnect-modal");
}

function say(text: string, state: string): void {
  const el = banner();
  if (!el) return;
  el.dataset.state = state;
  const line = el.querySelector<HTMLElement>("[data-reconnect-text]");
  if (line) line.textContent = text;
}

let restarting = false;

/** Waits for the server to answer again, then loads the page again on a new circuit. */
async function startAgain(): Promise<void> {
  if (restarting) return;
  restarting = true;
  try {
    await waitAndReturn();
  } finally {
    restarting = false;
  }
}

async function waitAndReturn(): Promise<void> {
  say("The server no longer knows this page's session (it restarted): waiting for it…", "restarting");
  for (;;) {
    try {
      const r = await fetch("/healthz", { cache: "no-store", credentials: "same-origin" });
      if (r.ok) break;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
  // Blazor starts no second circuit in a document whose first one the server rejected: load the page again.
  say("The server is back: loading the page again…", "restarting");
  location.reload();
}

export function wireReconnection(): void {
  document.addEventListener(
    "components-reconnect-state-changed",
    (e) => {
      const detail = (e as CustomEvent<ReconnectState>).detail;
      switch (detail.state) {
        case "show":
          say("Connection to the server lost: reconnecting…", "reconnecting");
          break;
        case "retrying":
          say(`Connection to the server lost: reconnecting (attempt ${detail.currentAttempt ?? 1}, next in ${detail.secondsToNextAttempt ?? 0} s)…`, "reconnecting");
          break;
        case "hide":
          say("", "connected");
          break;
        case "failed":
        case "rejected":
        case "resume-failed":
          void startAgain();
          break;
        case "paused":
          say("The page is paused.", "paused");
          break;
      }
    },
    true,
  );
}
