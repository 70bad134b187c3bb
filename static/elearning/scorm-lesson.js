/* The lesson page of a SCORM lesson, on the platform's origin. The player (on the package
   origin, framed here) hands over the commits it could not send while the connection was down;
   they are kept in this origin's storage, per lesson, and sent again through the platform at
   the next visit, before the player opens, so that the SCO starts from everything the trainee
   did. Nothing of the package origin's can read this storage. */
(function () {
  "use strict";
  var form = document.getElementById("scorm-lesson");
  var place = document.getElementById("scorm-player");
  var frame = null;
  var notice = document.getElementById("scorm-held");
  if (!form || !place) return;
  var KEY = "pan.scorm.held." + form.dataset.lesson;
  var MAX_COMMITS = 50;
  var MAX_CHARS = 3000000;
  var attempt = parseInt(form.dataset.attempt, 10);
  var page = String(Date.now()) + Math.random().toString(16).slice(2);

  // Stored: a list of batches, one per visit that held commits: {page, attempt, commits}.
  function load() {
    try {
      var stored = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(stored) ? stored : [];
    } catch (e) { return []; }
  }
  function save(batches) {
    batches = batches.filter(function (b) { return b.commits && b.commits.length; });
    try {
      if (batches.length) localStorage.setItem(KEY, JSON.stringify(batches));
      else localStorage.removeItem(KEY);
    } catch (e) { /* storage full or refused: the player still holds them in memory */ }
  }

  function replay(batches) {
    var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    var left = batches.slice();
    function next() {
      if (!left.length) return Promise.resolve();
      var batch = left[0];
      return fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ attempt: batch.attempt, commits: batch.commits })
      }).then(function (response) {
        if (response.status >= 500) throw new Error("not now");
        // Landed, or refused for good: either way nothing more to do with it.
        left.shift();
        save(load().filter(function (b) { return b.page !== batch.page; }));
        return next();
      });
    }
    return next();
  }

  window.addEventListener("message", function (event) {
    if (!frame || event.origin !== form.dataset.origin || event.source !== frame.contentWindow) {
      return;
    }
    var data = event.data;
    if (!data || data.type !== "pan-scorm-held" || !Array.isArray(data.commits)) return;
    var batch = { page: page, attempt: attempt, commits: data.commits.slice(-MAX_COMMITS) };
    if (JSON.stringify(batch).length > MAX_CHARS) return;
    save(load().filter(function (b) { return b.page !== page; }).concat([batch]));
    notice.hidden = !batch.commits.length;
  });

  function open() {
    frame = document.createElement("iframe");
    frame.className = "package-frame";
    frame.title = place.dataset.title;
    frame.setAttribute("sandbox", place.dataset.sandbox);
    frame.setAttribute("allow", "fullscreen; autoplay");
    frame.src = place.dataset.src;
    place.replaceWith(frame);
  }
  var earlier = load();
  if (earlier.length) replay(earlier).catch(function () {}).then(open);
  else open();
})();
