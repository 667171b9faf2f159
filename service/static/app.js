// shoptalk web chat: plain JS, no build step. Streams turns over Server-Sent Events (fetch + ReadableStream).
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const list = $("messages"), input = $("input"), form = $("composer"), typing = $("typing"), errorBox = $("error");
  let conv = null;          // {conversation_id, token}
  let busy = false;

  function scroll() { list.scrollTop = list.scrollHeight; }

  function addMessage(kind, text) {
    const li = document.createElement("li");
    li.className = "msg " + kind;
    li.textContent = text;
    list.appendChild(li);
    scroll();
    return li;
  }

  function addButtons(li, buttons) {
    if (!buttons || !buttons.length) return;
    const box = document.createElement("div");
    box.className = "buttons";
    for (const b of buttons) {
      const btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b.title;
      btn.dataset.payload = b.payload;
      btn.addEventListener("click", () => {
        if (busy) return;
        box.querySelectorAll("button").forEach((x) => (x.disabled = true));
        send(b.payload, b.title);
      });
      box.appendChild(btn);
    }
    li.appendChild(box);
    scroll();
  }

  function showError(text) {
    errorBox.textContent = text || "";
    errorBox.hidden = !text;
  }

  function setBusy(on) {
    busy = on;
    typing.hidden = !on;
    $("send").disabled = on;
    document.body.dataset.busy = on ? "1" : "0";
  }

  // Which router answers (/readyz): a fresh install answers with the quick one while the full one
  // trains (engine/router/quick_start.py). Shoppers see a note only then; the designer panel always.
  async function showModel() {
    let router = "";
    try {
      const res = await fetch("/readyz", { headers: { "Accept": "application/json" } });
      const body = await res.json();
      const parts = body.components || (body.error && body.error.details) || {};
      router = String(parts.router || "").replace(/^ok \((.*)\)$/, "$1");
    } catch (e) { router = ""; }
    const quick = /^quick router/.test(router);
    const note = $("model-status");
    note.textContent = quick ? "A quick model answers while the full one finishes training; answers may be less precise for a minute or two." : "";
    note.hidden = !quick;
    document.body.dataset.router = quick ? "quick" : (router ? "full" : "");
    if ($("d-router")) $("d-router").textContent = router || "-";
    if (quick) setTimeout(showModel, 5000);
  }

  function updateDesigner(turn) {
    if (!$("d-conversation")) return;  // the state panel is only on /?designer=1 and in the designer view
    $("d-conversation").textContent = conv ? conv.conversation_id : "-";
    if (!turn) {
      for (const id of ["d-route", "d-flow", "d-stack", "d-expecting"]) $(id).textContent = "-";
      $("d-slots").textContent = "{}"; $("d-actions").textContent = "[]";
      return;
    }
    const r = turn.route;
    $("d-route").textContent = r ? `${r.label} (${Number(r.confidence).toFixed(2)}, ${r.decided_by})` : "-";
    $("d-flow").textContent = turn.active_flow || "-";
    $("d-stack").textContent = (turn.flow_stack || []).join(" > ") || "-";
    $("d-expecting").textContent = turn.expecting ? `${turn.expecting.slot} (${turn.expecting.type})` : "-";
    $("d-slots").textContent = JSON.stringify(turn.slots || {}, null, 2);
    $("d-actions").textContent = JSON.stringify((turn.actions || []).map((a) => ({ name: a.name, ok: a.ok })), null, 2);
  }

  async function start() {
    showError("");
    list.innerHTML = "";
    const res = await fetch("/v1/conversations", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    const body = await res.json();
    if (!res.ok) { showError(body.error ? body.error.message : "Could not start a conversation."); return; }
    conv = body;
    sessionStorage.setItem("shoptalk.conversation", JSON.stringify(conv));
    document.body.dataset.conversation = conv.conversation_id;
    updateDesigner(null);
    addMessage("bot", "Hi! I can help with orders, returns, exchanges and your account. What can I do for you?");
  }

  function parseSSE(chunk, onEvent) {
    // chunk: complete "event: x\ndata: y" blocks
    for (const block of chunk.split("\n\n")) {
      if (!block.trim() || block.startsWith(":")) continue;
      let event = "message", data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data += line.slice(5).trim();
      }
      if (data) onEvent(event, JSON.parse(data));
    }
  }

  // Every message carries an idempotency key (message_id), the same on each retry of it: a retry of a
  // turn the server had in fact saved gets that turn back ("replayed") instead of running it twice.
  const RETRYABLE = new Set(["tracker_unavailable", "commit_unknown", "lock_lost", "conversation_busy", "rate_limited"]);
  const MAX_ATTEMPTS = 4;

  function newMessageId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "m-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function showRetry(msg, text) {
    showError(text);
    const btn = document.createElement("button");
    btn.type = "button";
    btn.id = "retry";
    btn.textContent = "Retry";
    btn.addEventListener("click", () => { if (!busy) deliver(msg); });
    errorBox.appendChild(document.createTextNode(" "));
    errorBox.appendChild(btn);
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function failure(status, body, retryAfter) {
    const err = (body && body.error) || {};
    const message = err.message || "Something went wrong.";
    // network failures and a proxy's 502/503/504 are retried too: the message_id makes it safe
    const retryable = RETRYABLE.has(err.code) || status === 0 || (status >= 502 && status <= 504);
    return { done: false, retry: retryable ? Math.max(1, Number(retryAfter) || 1) : null, message, code: err.code };
  }

  // One attempt: {done: true} once the turn is shown, else {retry: seconds | null, message}.
  async function attempt(msg) {
    let bubble = null, streamed = "", outcome = null;
    let res;
    try {
      res = await fetch(`/v1/conversations/${encodeURIComponent(conv.conversation_id)}/messages/stream`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Authorization": "Bearer " + conv.token, "Accept": "text/event-stream" },
        body: JSON.stringify(msg),
      });
    } catch (e) {
      return failure(0, { error: { message: "Network error: " + e.message } });
    }
    if (!res.ok) {
      let body = null;
      try { body = await res.json(); } catch (e) { /* not JSON */ }
      return failure(res.status, body, res.headers.get("Retry-After"));
    }
    const onEvent = (event, data) => {
      if (event === "token") {
        if (!bubble) { bubble = addMessage("bot streaming", ""); }
        streamed += data.text;
        bubble.textContent = streamed;
        scroll();
      } else if (event === "turn") {
        if (bubble) bubble.remove();
        bubble = null;
        for (const m of data.messages) addButtons(addMessage("bot", m.text), m.buttons);
        updateDesigner(data);
        document.body.dataset.seq = String(data.seq);
        outcome = { done: true };
      } else if (event === "error") {
        outcome = failure(200, data);
      }
    };
    try {
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        const cut = buffer.lastIndexOf("\n\n");
        if (cut >= 0) { parseSSE(buffer.slice(0, cut), onEvent); buffer = buffer.slice(cut + 2); }
      }
      if (buffer.trim()) parseSSE(buffer, onEvent);
    } catch (e) {
      outcome = outcome || failure(0, { error: { message: "Network error: " + e.message } });
    }
    if (bubble) bubble.remove();
    return outcome || failure(0, { error: { message: "The connection closed before the reply finished." } });
  }

  async function deliver(msg) {
    if (busy) return;
    showError("");
    setBusy(true);
    try {
      for (let n = 1; ; n++) {
        const outcome = await attempt(msg);
        if (outcome.done) { showError(""); return; }
        if (outcome.retry === null) { showError(outcome.message); return; }
        if (n >= MAX_ATTEMPTS) { showRetry(msg, outcome.message); return; }
        showError(outcome.message + ` Retrying in ${Math.min(outcome.retry, 5)}s...`);
        await sleep(Math.min(outcome.retry, 5) * 1000);
      }
    } finally {
      setBusy(false);
      input.focus();
    }
  }

  async function send(text, shown) {
    if (!conv || busy || !text.trim()) return;
    addMessage("user", shown || text);
    await deliver({ text: text, message_id: newMessageId() });
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    send(text);
  });
  $("restart").addEventListener("click", () => { if (!busy) { sessionStorage.removeItem("shoptalk.conversation"); start(); } });

  start();
  showModel();
})();
