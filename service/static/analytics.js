// The analytics page: figures from /v1/analytics/summary, charts as server-drawn SVG (matplotlib).
(function () {
  "use strict";
  const I = window.Insights, $ = (id) => document.getElementById(id);
  const form = $("filters");
  const pct = (v) => (v === null || v === undefined ? "-" : (100 * v).toFixed(1) + "%");
  const num = (v, d) => (v === null || v === undefined ? "-" : Number(v).toFixed(d === undefined ? 0 : d));

  function tiles(s) {
    const box = $("tiles");
    box.innerHTML = "";
    const items = [
      ["Tasks started", num(s.tasks.started)], ["Done", num(s.tasks.done)], ["Cancelled", num(s.tasks.cancelled)],
      ["Handed off", num(s.tasks.handed_off)], ["Abandoned", num(s.tasks.abandoned)], ["Failed", num(s.tasks.failed)],
      ["Containment", pct(s.containment_rate)], ["Fallback", pct(s.fallback_rate)],
      ["Clarification", pct(s.clarification_rate)], ["Repair", pct(s.repair_rate)],
      ["Messages per finished task (median)", num(s.median_messages_per_finished_task, 1)],
      ["CSAT (mean of " + s.csat.ratings + ")", num(s.csat.mean, 2)], ["Thumbs up", pct(s.thumbs.up_share)],
      ["Scripted p50 / p95 ms", num(s.latency_ms.scripted.p50, 1) + " / " + num(s.latency_ms.scripted.p95, 1)],
      ["Generated p50 / p95 ms", num(s.latency_ms.generated.p50, 1) + " / " + num(s.latency_ms.generated.p95, 1)],
    ];
    for (const [label, value] of items) box.append(I.el("div", { class: "tile" }, I.el("b", {}, value), label));
  }

  async function chart(name, q) {
    const box = $("chart-" + name);
    box.dataset.state = "loading";
    box.innerHTML = await I.call("GET", `/v1/analytics/charts/${name}.svg?${q}`);
    box.dataset.state = "ready";
  }

  async function load() {
    $("error").hidden = true;
    const q = I.query(form);
    try {
      const flows = await I.call("GET", "/v1/designer/flows");
      const select = $("flow"), chosen = select.value;
      if (select.options.length === 1) {
        for (const f of flows.filter((x) => x.kind === "flow")) select.append(I.el("option", { value: f.id }, f.title));
        select.value = chosen;
      }
      tiles(await I.call("GET", "/v1/analytics/summary?" + q));
      await Promise.all(["funnels", "rates", "csat", "unrecognised"].map((n) => chart(n, q)));
      document.body.dataset.loaded = "1";
    } catch (e) {
      $("error").textContent = e.message;
      $("error").hidden = false;
    }
  }

  async function download(kind) {
    const text = await I.call("GET", `/v1/analytics/export.csv?kind=${kind}&${I.query(form)}`);
    const a = I.el("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })),
                          download: `shoptalk-${kind}.csv` });
    a.click();
  }

  form.addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
  $("csv").addEventListener("click", (ev) => { ev.preventDefault(); download("days"); });
  $("csv-funnels").addEventListener("click", (ev) => { ev.preventDefault(); download("funnels"); });
  I.bindKey($("api-key"), load);
  if (I.key()) load();
})();
