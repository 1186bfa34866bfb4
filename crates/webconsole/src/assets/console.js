// tasknet console: live pages, highlights and confirmations. No framework, no
// outside requests: everything here talks to the console's own server.
(function () {
  "use strict";
  var main = document.getElementById("main");
  var state = document.getElementById("live-state");

  // Live updates: the server sends the page's new <main> whenever it changes.
  // While the user types in a form inside <main>, the swap waits for them.
  var pending = null;
  function typing() {
    var a = document.activeElement;
    return a && main.contains(a) && /^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName);
  }
  function swap(html) {
    if (typing()) { pending = html; return; }
    pending = null;
    var focusedId = document.activeElement && document.activeElement.id;
    main.innerHTML = html;
    if (focusedId) {
      var again = document.getElementById(focusedId);
      if (again) again.focus();
    }
    document.dispatchEvent(new CustomEvent("tasknet:updated"));
  }
  document.addEventListener("focusout", function () {
    setTimeout(function () { if (pending !== null && !typing()) swap(pending); }, 0);
  });
  if (main && main.dataset.live !== undefined && window.EventSource) {
    var url = "/_console/live?page=" + encodeURIComponent(main.dataset.live) +
      "&rev=" + encodeURIComponent(main.dataset.rev || "");
    var source = new EventSource(url);
    source.addEventListener("main", function (e) { swap(e.data); });
    source.onopen = function () { if (state) { state.textContent = "live"; state.className = "live-state"; } };
    source.onerror = function () { if (state) { state.textContent = "reconnecting"; state.className = "live-state off"; } };
  }

  // Hover or focus on anything that applies to other elements (a route, a
  // rule) highlights them: data-applies="id id …" names their data-id.
  function mark(el, on) {
    var ids = (el.getAttribute("data-applies") || "").split(/\s+/);
    ids.forEach(function (id) {
      if (!id) return;
      document.querySelectorAll('[data-id="' + id.replace(/"/g, "") + '"]').forEach(function (t) {
        t.classList.toggle("hl", on);
      });
    });
    el.classList.toggle("hl-source", on);
  }
  ["mouseover", "focusin"].forEach(function (ev) {
    document.addEventListener(ev, function (e) {
      var el = e.target.closest && e.target.closest("[data-applies]");
      if (el) mark(el, true);
    });
  });
  ["mouseout", "focusout"].forEach(function (ev) {
    document.addEventListener(ev, function (e) {
      var el = e.target.closest && e.target.closest("[data-applies]");
      if (el) mark(el, false);
    });
  });

  // The map: clicking an element (or Enter/Space on it) shows its details,
  // kept in <template data-details="ID"> beside the map; the choice survives
  // live updates. Hovering an edge highlights its two ends.
  var selected = null;
  function show(id) {
    var panel = document.getElementById("map-details");
    if (!panel) return;
    var t = null;
    document.querySelectorAll("template[data-details]").forEach(function (x) {
      if (x.getAttribute("data-details") === id) t = x;
    });
    if (!t) return;
    selected = id;
    panel.innerHTML = t.innerHTML;
    document.querySelectorAll(".map g.node").forEach(function (g) {
      g.classList.toggle("selected", g.getAttribute("data-id") === id);
      g.setAttribute("aria-pressed", g.getAttribute("data-id") === id ? "true" : "false");
    });
  }
  function nodeOf(target) {
    return target.closest ? target.closest(".map g.node") : null;
  }
  document.addEventListener("click", function (e) {
    var g = nodeOf(e.target);
    if (g) show(g.getAttribute("data-id"));
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" && e.key !== " ") return;
    var g = nodeOf(e.target);
    if (g) { e.preventDefault(); show(g.getAttribute("data-id")); }
  });
  document.addEventListener("tasknet:updated", function () { if (selected) show(selected); });
  function ends(edge, on) {
    ["data-from", "data-to"].forEach(function (a) {
      var id = edge.getAttribute(a);
      document.querySelectorAll('.map g.node[data-id="' + (id || "").replace(/"/g, "") + '"]').forEach(function (g) {
        g.classList.toggle("hl", on);
      });
    });
  }
  document.addEventListener("mouseover", function (e) {
    if (e.target.matches && e.target.matches(".map polyline.edge")) ends(e.target, true);
  });
  document.addEventListener("mouseout", function (e) {
    if (e.target.matches && e.target.matches(".map polyline.edge")) ends(e.target, false);
  });

  // Forms that ask before they act (stop a task, revoke a rule).
  document.addEventListener("submit", function (e) {
    var q = e.target.getAttribute("data-confirm");
    if (q && !window.confirm(q)) e.preventDefault();
  });
})();
