// shoptalk designer view: flow list, server-drawn diagrams (Graphviz SVG, or Mermaid text without it),
// hot-reload status. The try-it chat and its live state panel are the chat page's own markup and app.js,
// moved in here unchanged (one copy of the chat to maintain).
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  let flows = [];            // GET /v1/designer/flows
  let shown = null;          // flow id on screen
  let version = null;        // engine version: a hot reload bumps it
  let lastSteps = [];        // step events ({flow, step}) of the chat's last turn

  async function getJSON(url) {
    const res = await fetch(url, { headers: { "Accept": "application/json" } });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error(body && body.error ? body.error.message : `${url}: HTTP ${res.status}`);
    return body;
  }

  function listItem(flow) {
    const li = document.createElement("li");
    li.dataset.flow = flow.id;
    const btn = document.createElement("button");
    btn.type = "button";
    const pattern = flow.kind === "pattern";  // patterns' titles are long descriptions: name them by id
    btn.textContent = pattern ? flow.id : flow.title;
    btn.title = flow.description;
    const small = document.createElement("small");
    small.textContent = pattern ? `${flow.steps} steps` : `${flow.id} - ${flow.steps} steps`;
    btn.appendChild(small);
    btn.addEventListener("click", () => { location.hash = "flow=" + encodeURIComponent(flow.id); });
    li.appendChild(btn);
    return li;
  }

  async function loadFlows() {
    const [offered, all] = await Promise.all([getJSON("/v1/flows"), getJSON("/v1/designer/flows")]);
    const payloads = new Map(offered.map((f) => [f.id, f.payload]));
    flows = all.map((f) => ({ ...f, payload: payloads.get(f.id) || f.payload }));
    const main = $("flow-list"), other = $("pattern-list");
    main.replaceChildren(...flows.filter((f) => payloads.has(f.id)).map(listItem));
    other.replaceChildren(...flows.filter((f) => !payloads.has(f.id)).map(listItem));
    document.body.dataset.flows = String(flows.length);
    markSelection();
  }

  function markSelection() {
    const active = $("d-flow") ? $("d-flow").textContent : "";
    document.querySelectorAll(".flow-list li").forEach((li) => {
      li.classList.toggle("selected", li.dataset.flow === shown);
      li.classList.toggle("active", li.dataset.flow === active);
    });
  }

  async function showFlow(id) {
    const flow = flows.find((f) => f.id === id);
    shown = id;
    markSelection();
    $("diagram-title").textContent = flow ? `${flow.title} (${flow.id})` : id;
    $("diagram-desc").textContent = flow ? flow.description : "";
    $("try-flow").hidden = !(flow && flow.payload);
    const box = $("diagram"), text = $("diagram-text"), note = $("diagram-note");
    note.hidden = true;
    const res = await fetch(`/v1/flows/${encodeURIComponent(id)}/diagram.svg`);
    if (shown !== id) return;  // another flow was picked meanwhile
    if (res.ok) {
      const svg = await res.text();
      box.innerHTML = svg.slice(svg.indexOf("<svg"));  // inline, so call nodes' links work
      text.hidden = true;
      box.dataset.rendered = "svg";
    } else {
      let message = `HTTP ${res.status}`, code = "";
      try { const b = await res.json(); message = b.error.message; code = b.error.code; } catch (e) { /* not JSON */ }
      box.replaceChildren();
      box.dataset.rendered = "";
      if (code !== "graphviz_unavailable") { note.textContent = message; note.hidden = false; return; }
      const d = await getJSON(`/v1/flows/${encodeURIComponent(id)}/diagram?format=mermaid`);
      note.textContent = "Graphviz is not installed on the server, so here is the diagram as Mermaid text " +
        "(paste it into any Mermaid viewer, or install the Debian package graphviz).";
      note.hidden = false;
      text.textContent = d.source;
      text.hidden = false;
      box.dataset.rendered = "text";
    }
    box.dataset.flow = id;
    highlight();
  }

  // Mark the steps the last turn ran in the diagram on screen (Graphviz gives each step's node
  // the id "<flow>.<step>"); the last one is where the conversation waits now.
  function highlight() {
    const box = $("diagram");
    box.querySelectorAll("g.visited, g.current").forEach((g) => g.classList.remove("visited", "current"));
    const mine = lastSteps.filter((e) => e.flow === shown);
    for (const e of mine) {
      const g = document.getElementById(`${e.flow}.${e.step}`);
      if (g && box.contains(g)) g.classList.add("visited");
    }
    const last = mine[mine.length - 1];
    const g = last && document.getElementById(`${last.flow}.${last.step}`);
    if (g && box.contains(g)) g.classList.add("current");
    box.dataset.current = last ? `${last.flow}.${last.step}` : "";
  }

  // After each turn of the try-it chat: its step events (from the conversation's event export).
  async function onTurn() {
    const seq = Number(document.body.dataset.seq || 0);
    const conv = JSON.parse(sessionStorage.getItem("shoptalk.conversation") || "null");
    if (!seq || !conv) return;
    try {
      const res = await fetch(`/v1/conversations/${encodeURIComponent(conv.conversation_id)}/events?format=json`,
                              { headers: { "Authorization": "Bearer " + conv.token } });
      if (!res.ok) return;
      const events = await res.json();
      lastSteps = events.filter((e) => e.seq === seq && e.type === "engine" && e.event.type === "step")
        .map((e) => e.event);
    } catch (e) { return; }
    const active = $("d-flow").textContent;
    if ($("follow").checked && active !== shown && flows.some((f) => f.id === active)) {
      location.hash = "flow=" + encodeURIComponent(active);  // showFlow highlights once drawn
    } else {
      highlight();
    }
  }

  async function pollStatus() {
    try {
      const s = await getJSON("/v1/designer/status");
      const last = s.reloads.length ? s.reloads[s.reloads.length - 1] : null;
      const box = $("reload-status");
      box.className = "status" + (last && !last.ok ? " failed" : "");
      box.textContent = (s.hot_reload ? `Hot reload on, version ${s.version}` : `Version ${s.version} (hot reload off)`) +
        (last ? `\nLast ${last.kind} reload: ${last.message}` + (last.problems.length ? "\n" + last.problems.join("\n") : "") : "");
      if (version !== null && s.version !== version) {
        await loadFlows();
        if (shown) await showFlow(shown);
      }
      version = s.version;
    } catch (e) { /* the server may be restarting; try again on the next tick */ }
  }

  function fromHash() {
    const m = /flow=([^&]+)/.exec(location.hash);
    if (m) showFlow(decodeURIComponent(m[1]));
  }

  async function mountChat() {
    const page = new DOMParser().parseFromString(await (await fetch("/?designer=1")).text(), "text/html");
    const chat = page.getElementById("chat"), panel = page.getElementById("designer");
    chat.querySelector("h1").textContent = "Try it";
    panel.open = true;
    panel.querySelector("summary").textContent = "Live state";
    $("tryit").append(chat, panel);
    await new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "/static/app.js";
      script.onload = resolve;
      script.onerror = () => reject(new Error("app.js did not load"));
      document.body.appendChild(script);
    });
    // follow the conversation: the flow the try-it chat is in gets a dot in the list
    new MutationObserver(markSelection).observe($("d-flow"), { childList: true, characterData: true, subtree: true });
  }

  $("try-flow").addEventListener("click", () => {
    const flow = flows.find((f) => f.id === shown);
    if (!flow || !flow.payload) return;
    $("input").value = flow.payload;
    $("composer").requestSubmit();
  });
  window.addEventListener("hashchange", fromHash);
  new MutationObserver(onTurn).observe(document.body, { attributes: true, attributeFilter: ["data-seq"] });

  mountChat().catch((e) => { $("tryit").textContent = "Could not load the chat: " + e.message; });
  loadFlows().then(() => {
    if (!/flow=/.test(location.hash) && flows.length) location.hash = "flow=" + encodeURIComponent(flows[0].id);
    else fromHash();
  }).catch((e) => { $("reload-status").textContent = "Could not load the flows: " + e.message; });
  pollStatus();
  setInterval(pollStatus, 2000);
})();
