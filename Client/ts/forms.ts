// Controls: <form data-api="METHOD /path"> sent with fetch as JSON; the answer or ProblemDetails in its <output>.
// The output's data-state says where the request is: "pending" while it is in flight, then "ok" or "error".

interface ProblemDetails {
  title?: string;
  detail?: string;
  status?: number;
  errors?: Record<string, string[]>;
}

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The JSON body: numbers for type=number (or data-type=number), booleans for checkboxes (or data-type=boolean). */
export function formBody(form: HTMLFormElement): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const el of Array.from(form.elements) as Field[]) {
    if (!el.name || el.disabled) continue;
    const type = el.dataset.type ?? (el instanceof HTMLInputElement ? el.type : "text");
    if (el instanceof HTMLInputElement && el.type === "checkbox") {
      body[el.name] = el.checked;
    } else if (type === "boolean") {
      body[el.name] = el.value === "true";
    } else if (type === "number") {
      if (el.value.trim() !== "") body[el.name] = Number(el.value);
    } else if (el.value !== "") {
      body[el.name] = el.value;
    }
  }
  return body;
}

function describeProblem(status: number, p: ProblemDetails | null, fallback: string): string {
  if (!p) return `${status}: ${fallback}`;
  const parts = [`${status} ${p.title ?? ""}`.trim()];
  if (p.detail) parts.push(p.detail);
  for (const [field, messages] of Object.entries(p.errors ?? {})) parts.push(`${field}: ${messages.join(" ")}`);
  return parts.join(" — ");
}

/** A form's name across a swap of <main>: its test id, else its method and path. */
function formKey(form: HTMLFormElement): string {
  return form.dataset.testid ?? form.dataset.api ?? "";
}

function findForm(root: ParentNode, key: string): HTMLFormElement | null {
  for (const f of root.querySelectorAll<HTMLFormElement>("form[data-api]")) if (formKey(f) === key) return f;
  return null;
}

/** The form on the page now: this one, or, once <main> was swapped, its namesake in the new one. */
function current(form: HTMLFormElement): HTMLFormElement | null {
  return form.isConnected ? form : findForm(document, formKey(form));
}

function submitButton(form: HTMLFormElement | null): HTMLButtonElement | null {
  return form?.querySelector<HTMLButtonElement>("button[type=submit], button:not([type])") ?? null;
}

/** Keeps what the forms' outputs say (an answer, or "sending…") when <main> is swapped for a fresh copy. */
export function carryFormOutputs(oldMain: HTMLElement, newMain: HTMLElement): void {
  for (const f of oldMain.querySelectorAll<HTMLFormElement>("form[data-api]")) {
    const said = f.querySelector("output");
    const fresh = findForm(newMain, formKey(f));
    const output = fresh?.querySelector("output");
    if (!said?.dataset.state || !output) continue;
    output.textContent = said.textContent;
    output.className = said.className;
    output.dataset.state = said.dataset.state;
    if (said.dataset.state === "pending") submitButton(fresh)?.setAttribute("disabled", "");
  }
}

async function submit(form: HTMLFormElement): Promise<void> {
  const [method, path] = (form.dataset.api ?? "").split(/\s+/, 2);
  if (!method || !path) return;
  const show = (text: string, state: "pending" | "ok" | "error") => {
    const output = current(form)?.querySelector("output");
    if (!output) return;
    output.textContent = text;
    output.classList.toggle("ok", state === "ok");
    output.classList.toggle("bad", state === "error");
    output.dataset.state = state;
  };
  submitButton(form)?.setAttribute("disabled", "");
  show("sending…", "pending");
  try {
    const hasBody = method !== "GET" && method !== "DELETE";
    const response = await fetch(path, {
      method,
      headers: hasBody ? { "Content-Type": "application/json", Accept: "application/json" } : { Accept: "application/json" },
      body: hasBody ? JSON.stringify(formBody(form)) : undefined,
      credentials: "same-origin",
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (response.ok) {
      show(`${response.status} ${response.statusText || "OK"}${json != null ? ": " + JSON.stringify(json) : ""}`, "ok");
      if (form.dataset.then) location.assign(form.dataset.then);
    } else {
      show(describeProblem(response.status, json as ProblemDetails | null, text || response.statusText), "error");
    }
  } catch (e) {
    show(`request failed: ${e instanceof Error ? e.message : String(e)}`, "error");
  } finally {
    submitButton(current(form))?.removeAttribute("disabled");
  }
}

/** One listener for every data-api form, present and future (main may be swapped). */
export function wireForms(): void {
  document.addEventListener("submit", (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.matches(".trace-filters")) {
      e.preventDefault();
      return;
    }
    if (!form.dataset.api) return;
    e.preventDefault();
    void submit(form);
  });
}
