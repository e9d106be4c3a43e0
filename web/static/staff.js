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

  /* The state in words (the page was drawn when the run may still have been waiting). */
  function state(name) {
    var el = document.getElementById("job-state");
    if (el && el.dataset[name] && el.dataset.state !== name) {
      el.dataset.state = name;
      el.textContent = el.dataset[name];
    }
  }

  function failures(list, shown) {
    if (list.length === shownFailures) return;
    shownFailures = list.length;
    var holder = document.getElementById("job-failed-box");
    if (holder) holder.hidden = list.length === 0;
    var body = document.getElementById("job-failures");
    while (body.firstChild) body.removeChild(body.firstChild);
    list.forEach(function (f, i) {
      var tr = document.createElement("tr");
      var said = (shown && shown[i]) || f;
      var reason = f.kind === "file" ? said.reason : said.reason + " " + box.dataset.systemNote;
      [f.path, said.stage, reason].forEach(function (text) {
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
        const held = document.getElementById("job-held");
        if (held && p.held) {
          held.hidden = false;
          const link = held.querySelector("a");
          if (link) link.textContent = link.textContent.replace(/\d+/, p.held);
        }
        set("job-failed", p.failed_count);
        document.getElementById("bar").value = p.percent;
        state(p.state);
        failures(p.failed, p.failed_shown);
        if (p.done) { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
