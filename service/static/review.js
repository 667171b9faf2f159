// The review inbox: groups from GET /v1/review, one action per group (POST /v1/review/actions), the
// background retrain's state and the route bench before and after (GET /v1/review/retrain).
(function () {
  "use strict";
  const I = window.Insights, $ = (id) => document.getElementById(id), el = I.el;
  let polling = null;

  function showError(text) { $("error").textContent = text || ""; $("error").hidden = !text; }

  async function transcript(id) {
    const conv = await I.call("GET", `/v1/conversations/${encodeURIComponent(id)}?limit=1000`);
    $("transcript").textContent = conv.transcript.map((t) =>
      `#${t.seq} shopper: ${t.user}\n` + t.messages.map((m) => `     bot: ${m.text}`).join("\n")).join("\n");
    $("transcript-panel").hidden = false;
    $("transcript-panel").scrollIntoView();
  }

  async function act(group, body, result) {
    result.textContent = "...";
    try {
      const out = await I.call("POST", "/v1/review/actions", Object.assign({ items: group.items.map((i) => i.id) }, body));
      result.textContent = out.lines ? "Written:\n" + out.lines.join("\n") : `Done (${out.resolved} messages).`;
      result.className = "result ok";
      if (out.retrain) poll();
      setTimeout(load, 600);
    } catch (e) {
      const problems = e.body && e.body.error && e.body.error.details && e.body.error.details.problems;
      result.textContent = e.message + (problems ? "\n" + problems.join("\n") : "");
      result.className = "result error";
    }
  }

  function groupBox(g) {
    const result = el("div", { class: "result" });
    const intent = el("input", { list: "intents", placeholder: "intent, e.g. order_status", class: "intent" });
    const answer = el("input", { placeholder: "FAQ answer", class: "answer", size: "40" });
    const reasons = Object.entries(g.reasons).map(([k, v]) => `${k} ${v}`).join(", ");
    const examples = el("ul", {}, ...g.examples.map((t) => el("li", {}, t)));
    const links = el("p", {}, "Conversations: ", ...g.items.slice(0, 8).map((i) =>
      el("a", { href: "#", class: "conv", onclick: (ev) => { ev.preventDefault(); transcript(i.conversation_id); } },
         `${i.conversation_id.slice(0, 8)}#${i.seq} `)));
    return el("div", { class: "group", "data-group": g.id, "data-count": String(g.count) },
      el("h3", {}, `${g.count} message${g.count === 1 ? "" : "s"}: "${g.examples[0]}"`),
      el("small", {}, reasons + " | read as " + Object.keys(g.labels).join(", ")), examples, links,
      el("div", { class: "actions" },
        intent, el("button", { type: "button", class: "assign",
                               onclick: () => act(g, { action: "assign_intent", intent: intent.value.trim() }, result) },
                   "These mean this intent"),
        answer, el("button", { type: "button", class: "faq",
                               onclick: () => act(g, { action: "add_faq", answer: answer.value.trim() }, result) },
                   "Answer in the FAQ"),
        el("button", { type: "button", class: "ignore", onclick: () => act(g, { action: "ignore" }, result) }, "Ignore")),
      result);
  }

  async function load() {
    showError("");
    try {
      const flows = await I.call("GET", "/v1/designer/flows");
      const names = new Set(["fallback", "affirm", "deny", "cancel", "help", "greet", "goodbye"]);
      flows.forEach((f) => f.intents.forEach((n) => names.add(n)));
      $("intents").replaceChildren(...[...names].sort().map((n) => el("option", { value: n })));
      const inbox = await I.call("GET", "/v1/review");
      $("total").textContent = `${inbox.total} messages in ${inbox.groups.length} groups`;
      $("groups").replaceChildren(...inbox.groups.map(groupBox));
      document.body.dataset.loaded = "1";
    } catch (e) { showError(e.message); }
  }

  function benchTable(before, after) {
    const rows = [];
    const sets = Object.keys((before && before.sets) || (after && after.sets) || {});
    const cell = (r, k) => (r && r.sets && r.sets[k] ? (100 * r.sets[k].accuracy).toFixed(1) + "%" : "-");
    for (const k of sets) rows.push(el("tr", {}, el("td", {}, k), el("td", {}, cell(before, k)), el("td", {}, cell(after, k))));
    const overall = (r) => (r && r.overall !== undefined ? (100 * r.overall).toFixed(1) + "%" : "-");
    rows.push(el("tr", {}, el("th", {}, "realistic sets overall"), el("th", {}, overall(before)), el("th", {}, overall(after))));
    const assigned = (r) => (r && r.assigned ? `${r.assigned.routed_to_intent} of ${r.assigned.n}` : "-");
    rows.push(el("tr", { class: "assigned" }, el("th", {}, "assigned messages routed to their intent"),
                 el("th", { class: "before" }, assigned(before)), el("th", { class: "after" }, assigned(after))));
    return el("table", {}, el("tr", {}, el("th", {}, "route bench"), el("th", {}, "before"), el("th", {}, "after")), ...rows);
  }

  async function poll() {
    clearTimeout(polling);
    try {
      const s = await I.call("GET", "/v1/review/retrain");
      if (s.state === "idle") return;
      $("retrain").hidden = false;
      $("retrain").dataset.state = s.state;
      $("retrain-state").textContent = `${s.state}: ${s.message}`;
      $("bench").replaceChildren(benchTable(s.before, s.after));
      if (s.state !== "done" && s.state !== "failed") polling = setTimeout(poll, 2000);
    } catch (e) { showError(e.message); }
  }

  $("refresh").addEventListener("click", load);
  I.bindKey($("api-key"), () => { load(); poll(); });
  if (I.key()) { load(); poll(); }
})();
