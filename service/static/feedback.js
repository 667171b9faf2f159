// shoptalk web chat feedback: a thumb (and optional comment) on each bot message, and a 1-5 rating when
// a task ends. Separate from app.js: it watches the message list and reads the conversation app.js keeps
// in sessionStorage, so the chat itself is unchanged. POST /v1/conversations/{id}/feedback.
(function () {
  "use strict";
  const list = document.getElementById("messages");
  if (!list) return;
  let conversation = null, seenSeq = null;
  const style = document.createElement("style");
  style.textContent = ".feedback{display:flex;gap:4px;margin-top:4px;font-size:12px;align-items:center}" +
    ".feedback button,.msg.rating button{border:1px solid #ccd;background:#fff;border-radius:10px;padding:1px 7px;" +
    "cursor:pointer}.feedback button.chosen,.msg.rating button.chosen{background:#2458d6;color:#fff}" +
    ".msg.rating button{margin-left:4px}.feedback-note{margin-left:6px;color:#555}";
  document.head.appendChild(style);

  function current() {
    try { return JSON.parse(sessionStorage.getItem("shoptalk.conversation") || "null"); } catch (e) { return null; }
  }

  async function send(seq, body, note) {
    const conv = current();
    if (!conv) return;
    const res = await fetch(`/v1/conversations/${encodeURIComponent(conv.conversation_id)}/feedback`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + conv.token },
      body: JSON.stringify(Object.assign({ message_seq: seq }, body)),
    });
    let text = "Thanks!";
    if (!res.ok) {
      try { text = (await res.json()).error.message; } catch (e) { text = "Could not send feedback."; }
    }
    if (note) note.textContent = text;
  }

  function thumbs(li, seq) {
    const bar = document.createElement("div");
    bar.className = "feedback";
    const note = document.createElement("span");
    note.className = "feedback-note";
    for (const [thumb, label, title] of [["up", "\u{1F44D}", "Helpful"], ["down", "\u{1F44E}", "Not helpful"]]) {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = label; b.title = title; b.dataset.thumb = thumb;
      b.addEventListener("click", () => {
        bar.querySelectorAll("button[data-thumb]").forEach((x) => (x.disabled = true));
        b.classList.add("chosen");
        const comment = thumb === "down" ? window.prompt("What went wrong? (optional)") : null;
        send(seq, comment ? { thumb: thumb, comment: comment } : { thumb: thumb }, note);
      });
      bar.appendChild(b);
    }
    bar.appendChild(note);
    li.appendChild(bar);
  }

  function rating(seq, flow) {
    const li = document.createElement("li");
    li.className = "msg bot rating";
    li.textContent = "How did that go? ";
    const note = document.createElement("span");
    note.className = "feedback-note";
    for (let n = 1; n <= 5; n++) {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = String(n); b.dataset.rating = String(n); b.title = `${n} of 5`;
      b.addEventListener("click", () => {
        li.querySelectorAll("button").forEach((x) => (x.disabled = true));
        b.classList.add("chosen");
        send(seq, { rating: n }, note);
      });
      li.appendChild(b);
    }
    li.appendChild(note);
    list.appendChild(li);
    list.scrollTop = list.scrollHeight;
  }

  async function maybeRate(seq) {
    const conv = current();
    if (!conv) return;
    const res = await fetch(`/v1/conversations/${encodeURIComponent(conv.conversation_id)}/feedback/prompt?seq=${seq}`,
      { headers: { "Authorization": "Bearer " + conv.token } });
    if (res.ok && (await res.json()).rating) rating(seq);
  }

  new MutationObserver((records) => {
    const conv = document.body.dataset.conversation || null, seq = document.body.dataset.seq || null;
    if (conv !== conversation) { conversation = conv; seenSeq = seq; return; }  // a new conversation's greeting
    if (!seq || seq === seenSeq) return;
    seenSeq = seq;
    for (const r of records) {
      for (const node of r.addedNodes) {
        if (node.nodeType === 1 && node.matches("li.msg.bot") && !node.matches(".streaming, .rating")) {
          thumbs(node, Number(seq));
        }
      }
    }
    maybeRate(Number(seq));
  }).observe(list, { childList: true });
})();
