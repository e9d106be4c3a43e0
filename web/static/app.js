/* gongkai: small enhancements; every page works without this file. */
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.add("js");

  /* Filters start folded on phone-width screens (they stay open without JavaScript), except right after a
     filter was tapped in them: the results page that tap loads keeps them open for the next one. */
  var filters = doc.getElementById("filters");
  var KEEP = "gongkai.filters.open";
  if (filters && window.matchMedia("(max-width: 720px)").matches) {
    var keep = false;
    try { keep = sessionStorage.getItem(KEEP) === "1"; sessionStorage.removeItem(KEEP); } catch (e) { /* private mode */ }
    filters.open = keep;
    filters.addEventListener("click", function (e) {
      if (e.target.closest && e.target.closest("a[href]")) {
        try { sessionStorage.setItem(KEEP, "1"); } catch (err) { /* private mode */ }
      }
    });
  }

  /* The outline of a law folds on phones too, and folds again once a part of it is chosen there. */
  var outline = doc.getElementById("outline");
  if (outline && window.matchMedia("(max-width: 720px)").matches) {
    outline.open = false;
    outline.addEventListener("click", function (e) {
      if (e.target.closest && e.target.closest("a[href^='#']")) outline.open = false;
    });
  }

  /* Hit navigation on the document page: previous / next with a counter. */
  var bar = doc.getElementById("hitbar");
  var marks = doc.querySelectorAll(".fulltext mark[id^='hit-']");
  if (bar && marks.length) {
    var nav = doc.createElement("div");
    nav.className = "hitnav";
    nav.setAttribute("role", "group");
    nav.setAttribute("aria-label", doc.documentElement.lang === "en" ? "Hits" : "命中导航");
    var prev = button(doc.documentElement.lang === "en" ? "‹ Previous" : "‹ 上一处");
    var next = button(doc.documentElement.lang === "en" ? "Next ›" : "下一处 ›");
    var where = doc.createElement("span");
    where.className = "where";
    where.setAttribute("aria-live", "polite");
    nav.append(prev, where, next);
    bar.appendChild(nav);
    bar.classList.add("sticky");
    var current = -1;
    var fromHash = /^#hit-(\d+)$/.exec(location.hash);
    if (fromHash) current = Math.min(marks.length, +fromHash[1]) - 1;
    show(false);
    prev.addEventListener("click", function () { go(current - 1); });
    next.addEventListener("click", function () { go(current + 1); });
    doc.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a[href^='#hit-']");
      if (a) { e.preventDefault(); go(+a.getAttribute("href").slice(5) - 1); }
    });
  }

  function button(label) {
    var b = doc.createElement("button");
    b.type = "button";
    b.textContent = label;
    return b;
  }

  function go(i) {
    current = (i + marks.length) % marks.length;
    show(true);
  }

  function show(move) {
    marks.forEach(function (m) { m.classList.remove("current"); });
    if (current >= 0) {
      var m = marks[current];
      m.classList.add("current");
      if (move) {
        history.replaceState(null, "", "#" + m.id);
        m.focus({ preventScroll: true });
        m.scrollIntoView({ block: "center" });
      }
    }
    where.textContent = (current >= 0 ? current + 1 : "–") + " / " + marks.length;
  }

  /* Copy the citation. */
  doc.querySelectorAll("button.copy").forEach(function (b) {
    var src = doc.getElementById(b.dataset.copy);
    if (!src) return;
    b.hidden = false;
    b.addEventListener("click", function () {
      var done = function () { b.textContent = b.dataset.done; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(src.value).then(done, function () { src.select(); });
      } else {
        src.select();
        if (doc.execCommand && doc.execCommand("copy")) done();
      }
    });
  });
})();

/* Page images: the thumbnail strip starts scrolled to the current page (sideways only, never the page itself). */
(function () {
  "use strict";
  var current = document.querySelector(".thumbs a[aria-current]");
  var strip = current && current.closest("ol");
  if (strip) strip.scrollLeft = current.parentNode.offsetLeft - strip.offsetLeft - (strip.clientWidth - current.offsetWidth) / 2;
})();
