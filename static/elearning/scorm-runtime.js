/* The SCORM run-time API of one attempt, in the player window of the package origin, which
   frames the SCO: the SCO finds the API in its parent window, as SCOs look for it. scorm-again
   (loaded just before, api.js) provides API (SCORM 1.2) and API_1484_11 (SCORM 2004); this
   sets it up with the attempt's stored data model, so the SCO resumes where the trainee
   stopped, and sends its commits to the attempt's commit address.

   Commits go through the HTTP service below rather than scorm-again's own, so that none is lost
   when the connection drops: a commit that cannot reach the server is held, in order, and sent
   again when the browser is back online (and every so often until then); the SCO is told the
   commit succeeded, since what it committed is safe. The held commits are also handed to the
   platform's lesson page above this window, which keeps them in its own storage (this origin
   keeps nothing: other packages' content runs here) and sends them before the SCO opens at the
   trainee's next visit. Each commit carries this window's identifier and its sequence number,
   so a commit sent twice is stored once. */
(function () {
  "use strict";
  var config = window.PAN_SCORM;
  if (!config) return;

  var OK = { result: "true", errorCode: 0 };
  var player = (function () {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  })();
  var held = [];
  var sending = false;
  var delay = 2000;
  var timer = null;

  function tellPage() {
    var commits = held.map(function (c) { return { body: c.body, final: c.final }; });
    (config.pageOrigins || []).forEach(function (origin) {
      try {
        window.parent.postMessage({ type: "pan-scorm-held", commits: commits }, origin);
      } catch (e) { /* no such page above: nothing to tell */ }
    });
  }

  // The server's word on a commit it received; null when it never got there (or failed).
  function answerOf(status, text) {
    if (!status || status >= 500 || status === 409) return null;
    try {
      var answer = JSON.parse(text);
      return { result: String(answer.result), errorCode: answer.errorCode || 0 };
    } catch (e) {
      return { result: "false", errorCode: config.kind === "scorm12" ? 101 : 391 };
    }
  }

  function hold(commit) {
    var last = held[held.length - 1];
    // Each commit is the whole data model: the latest replaces one not yet sent.
    if (last && !last.final && !commit.final) held[held.length - 1] = commit;
    else held.push(commit);
    tellPage();
    later();
  }

  function later() {
    if (timer || !held.length) return;
    timer = window.setTimeout(function () { timer = null; send(); }, delay);
    delay = Math.min(delay * 2, 60000);
  }

  // The held commits, oldest first, one at a time.
  function send() {
    if (sending || !held.length) return;
    sending = true;
    var commit = held[0];
    var body = JSON.stringify(commit.body);
    var options = {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: body,
      keepalive: body.length < 60000
    };
    fetch(commit.url, options).then(function (response) {
      return response.text().then(function (text) { return answerOf(response.status, text); });
    }).catch(function () { return null; }).then(function (answer) {
      sending = false;
      if (answer === null) { later(); return; }
      // Landed, or refused for good (a malformed commit will not get better): either way done.
      if (held[0] === commit) held.shift();
      delay = 2000;
      tellPage();
      send();
    });
  }

  var httpService = {
    processHttpRequest: function (url, params, isTerminate, _log, _listeners, context) {
      var commit = {
        url: url,
        final: Boolean(isTerminate),
        body: Object.assign({}, params, {
          player: player,
          commitSequence: (context && context.sequence) || 0
        })
      };
      if (held.length || isTerminate) {
        // Behind the commits already held, in order; Terminate never waits (the window may be
        // closing), so it is held at once and sent asynchronously, surviving the window.
        hold(commit);
        send();
        return OK;
      }
      var request = new XMLHttpRequest();
      var answer = null;
      try {
        request.open("POST", url, false);
        request.setRequestHeader("Content-Type", "application/json");
        request.send(JSON.stringify(commit.body));
        answer = answerOf(request.status, request.responseText);
      } catch (e) { answer = null; }
      if (answer === null) {
        hold(commit);
        return OK;
      }
      return answer;
    },
    updateSettings: function () {}
  };

  window.addEventListener("online", function () { delay = 2000; send(); });

  var settings = {
    autocommit: true,
    autocommitSeconds: 10,
    lmsCommitUrl: config.commitUrl,
    dataCommitFormat: "json",
    terminateCommitParam: "final",
    httpService: httpService,
    logLevel: 4
  };
  if (config.kind === "scorm12") {
    window.API = new window.Scorm12API(settings);
    window.API.loadFromJSON(config.cmi);
  } else {
    window.API_1484_11 = new window.Scorm2004API(settings);
    window.API_1484_11.loadFromJSON(config.cmi);
  }
})();
