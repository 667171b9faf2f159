// Shared by the analytics page and the review inbox: the integrator key (kept in sessionStorage) and
// fetch with it. The key is typed once into the page's key field.
window.Insights = (function () {
  "use strict";
  const STORE = "shoptalk.apikey";
  function key() { return sessionStorage.getItem(STORE) || ""; }
  function bindKey(input, onChange) {
    input.value = key();
    input.addEventListener("change", () => { sessionStorage.setItem(STORE, input.value.trim()); onChange(); });
  }
  async function call(method, url, body) {
    const res = await fetch(url, {
      method: method,
      headers: Object.assign({ "X-API-Key": key() }, body ? { "Content-Type": "application/json" } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
    const type = res.headers.get("Content-Type") || "";
    const data = type.includes("json") ? await res.json() : await res.text();
    if (!res.ok) {
      const err = new Error(data && data.error ? data.error.message : `HTTP ${res.status}`);
      err.body = data;
      throw err;
    }
    return data;
  }
  function query(form) {
    const p = new URLSearchParams();
    for (const name of ["flow", "from", "to"]) {
      const v = form.elements[name] && form.elements[name].value;
      if (v) p.set(name, v);
    }
    return p.toString();
  }
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }
  return { key, bindKey, call, query, el };
})();
