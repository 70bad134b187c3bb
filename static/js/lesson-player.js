/* The authored-lesson player: statements to the LRS through a queue kept in localStorage, so
 * that nothing is lost on a bad connection (each statement has its id from the start: a retry
 * of a batch the LRS already stored is harmless); the reading position kept in the State
 * resource, so that the lesson resumes where it was left; quizzes graded by the server. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("lesson-player").textContent);
  var labels = config.labels || {};
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, name) { return values[name]; })
      .replace(/%%/g, "%");
  }
  var QUEUE = "pan.xapi.queue";
  var headers = {
    "Content-Type": "application/json",
    "Authorization": config.auth,
    "X-Experience-API-Version": "1.0.3"
  };

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0;
      return (c === "x" ? r : (r & 0x3 | 0x8)).toString(16);
    });
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function save(queue) {
    try { localStorage.setItem(QUEUE, JSON.stringify(queue)); } catch (e) { /* full: keep in memory */ }
  }

  var flushing = false;
  var delay = 2000;
  function flush() {
    if (flushing) { return; }
    var queue = load();
    if (!queue.length) { return; }
    flushing = true;
    var first = queue[0];
    var batch = queue.filter(function (item) {
      return item.endpoint === first.endpoint && item.auth === first.auth;
    }).slice(0, 50);
    fetch(first.endpoint + "statements", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Authorization": first.auth,
                 "X-Experience-API-Version": "1.0.3" },
      body: JSON.stringify(batch.map(function (item) { return item.statement; }))
    }).then(function (response) {
      // Server errors and throttling are retried; anything else will not get better.
      if (response.status >= 500 || response.status === 429 || response.status === 408) {
        throw new Error("LRS answered " + response.status);
      }
      var sent = {};
      batch.forEach(function (item) { sent[item.statement.id] = true; });
      save(load().filter(function (item) { return !sent[item.statement.id]; }));
      delay = 2000;
      flushing = false;
      flush();
    }).catch(function () {
      flushing = false;
      setTimeout(flush, delay);
      delay = Math.min(delay * 2, 120000);
    });
  }

  function send(verb, display, result) {
    var statement = {
      id: newId(),
      actor: config.actor,
      verb: { id: verb, display: { "en-US": display } },
      object: {
        objectType: "Activity",
        id: config.activity_id,
        definition: { type: "http://adlnet.gov/expapi/activities/lesson",
                      name: { "en-US": config.title } }
      },
      context: { registration: config.registration },
      timestamp: new Date().toISOString()
    };
    if (result) { statement.result = result; }
    var queue = load();
    queue.push({ endpoint: config.endpoint, auth: config.auth, statement: statement });
    save(queue);
    flush();
  }

  // Resume: the reading position, per registration, in the LRS's State resource.
  var stateUrl = config.endpoint + "activities/state?" + new URLSearchParams({
    activityId: config.activity_id,
    agent: JSON.stringify(config.actor),
    registration: config.registration,
    stateId: "pan.position"
  }).toString();
  fetch(stateUrl, { headers: headers }).then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (position) {
    if (position && position.scroll > 0) {
      window.scrollTo(0, position.scroll);
      var status = document.getElementById("lesson-status");
      if (status) { status.insertAdjacentText("beforeend", " · " + (config.labels.resumed || "resumed where you left off")); }
    }
  }).catch(function () { /* offline: start at the top */ });
  var timer = null;
  window.addEventListener("scroll", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(stateUrl, { method: "PUT", headers: headers,
                        body: JSON.stringify({ scroll: Math.round(window.scrollY) }) })
        .catch(function () { /* the next scroll tries again */ });
    }, 1500);
  });

  send("http://adlnet.gov/expapi/verbs/experienced", "experienced");
  window.addEventListener("online", flush);
  setInterval(flush, 30000);

  var done = document.getElementById("lesson-done");
  if (done) {
    done.addEventListener("click", function () {
      send("http://adlnet.gov/expapi/verbs/completed", "completed", { completion: true });
      done.disabled = true;
      done.textContent = labels.completed;
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".quiz-form"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var output = form.querySelector(".quiz-result");
      fetch(form.action, { method: "POST", body: new FormData(form),
                           headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.json(); })
        .then(function (result) {
          if (result.error) { output.textContent = result.error; return; }
          Array.prototype.forEach.call(form.querySelectorAll(".question"), function (fieldset) {
            var verdict = result.questions[fieldset.dataset.key];
            var feedback = fieldset.querySelector(".feedback");
            if (!verdict) { return; }
            feedback.className = "feedback " + (verdict.correct ? "correct" : "wrong");
            feedback.textContent = (verdict.correct ? labels.correct : labels.wrong) + " " +
              verdict.feedback.join(" ");
          });
          output.textContent = fill(labels.score, result) + " " +
            (result.passed ? labels.passed : labels.not_passed) +
            (result.attempts_left !== null ?
              " " + fill(labels.attempts_left, { n: result.attempts_left }) : "");
        })
        .catch(function () { output.textContent = labels.offline; });
    });
  });
})();
