/* gongkai staff pages: live progress of an ingest run (the page refreshes itself without this). */
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.done === "true") return;
  document.querySelectorAll(".js-hide").forEach(function (e) { e.hidden = true; });
  var url = box.dataset.progress;
  var shownFailures = -1;

  function set(id, value) {
    var el = document.getElementById(id);
    if (el) el.textContent = String(value);
  }

  function failures(list) {
    if (list.length === shownFailures) return;
    shownFailures = list.length;
    var body = document.getElementById("job-failures");
    while (body.firstChild) body.removeChild(body.firstChild);
    list.forEach(function (f) {
      var tr = document.createElement("tr");
      var reason = f.kind === "file" ? f.reason : f.reason + " " + box.dataset.systemNote;
      [f.path, f.stage, reason].forEach(function (text) {
        var td = document.createElement("td");
        td.textContent = text;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (p) {
        set("job-seen", p.seen);
        set("job-total", p.total);
        set("job-ingested", p.ingested + p.merged);
        set("job-skipped", p.skipped);
        set("job-failed", p.failed_count);
        document.getElementById("bar").value = p.percent;
        failures(p.failed);
        if (p.done) { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
