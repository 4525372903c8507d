// Refreshes a part of the page without reloading it: every element with data-refresh is replaced,
// every data-seconds, by the HTML fragment its URL returns. Plain fetch, no library, nothing fetched
// from outside this site. Paused while the tab is hidden; a failed fetch keeps the last content and
// says since when it is stale.
(function () {
  "use strict";
  function stamp(el, text) {
    var note = el.previousElementSibling;
    if (!note || !note.classList.contains("refresh-note")) {
      note = document.createElement("p");
      note.className = "refresh-note muted";
      el.parentNode.insertBefore(note, el);
    }
    note.textContent = text;
  }
  function start(el) {
    var url = el.getAttribute("data-refresh");
    var seconds = parseFloat(el.getAttribute("data-seconds") || "5");
    var busy = false;
    function tick() {
      if (busy || document.hidden) return;
      busy = true;
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (r) {
          if (r.redirected || r.status === 401 || r.status === 303) { window.location.reload(); return null; }
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.text();
        })
        .then(function (html) {
          if (html === null) return;
          el.innerHTML = html;
          el.setAttribute("data-refreshed", new Date().toISOString());
          el.dispatchEvent(new CustomEvent("refreshed"));
          stamp(el, "");
        })
        .catch(function (e) { stamp(el, (document.documentElement.lang === "en" ? "Not updated: " : "Chưa cập nhật được: ") + e.message); })
        .finally(function () { busy = false; });
    }
    setInterval(tick, seconds * 1000);
  }
  document.querySelectorAll("[data-refresh]").forEach(start);
})();
