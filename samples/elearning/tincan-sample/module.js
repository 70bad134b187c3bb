// A sample TinCan module: reads the launch parameters (endpoint, auth, actor, registration,
// activity_id) and reports to the LRS; it keeps its screen as a bookmark in the State resource.
(function () {
  var params = new URLSearchParams(location.search);
  var endpoint = params.get("endpoint");
  var auth = params.get("auth");
  var actor = JSON.parse(params.get("actor") || "{}");
  var registration = params.get("registration");
  var activity = params.get("activity_id");
  var headers = { "Content-Type": "application/json", "Authorization": auth,
                  "X-Experience-API-Version": "1.0.3" };
  var status = document.getElementById("status");

  function send(verb, result) {
    var statement = {
      actor: actor,
      verb: { id: "http://adlnet.gov/expapi/verbs/" + verb, display: { "en-US": verb } },
      object: { objectType: "Activity", id: activity },
      context: { registration: registration }
    };
    if (result) { statement.result = result; }
    return fetch(endpoint + "statements", { method: "POST", headers: headers,
                                            body: JSON.stringify(statement) });
  }
  var state = endpoint + "activities/state?" + new URLSearchParams({
    activityId: activity, agent: JSON.stringify(actor), registration: registration,
    stateId: "bookmark" });

  // Whether the learner has moved on already: a bookmark read after that (a slow line) is
  // stale and must neither move them back nor overwrite what they did.
  var moved = false;
  function display(screen) {
    document.getElementById("screen-1").hidden = screen !== 1;
    document.getElementById("screen-2").hidden = screen !== 2;
  }
  function show(screen) {
    moved = true;
    display(screen);
    return fetch(state, { method: "PUT", headers: headers,
                          body: JSON.stringify({ screen: screen }) });
  }
  fetch(state, { headers: headers }).then(function (r) { return r.ok ? r.json() : { screen: 1 }; })
    .then(function (bookmark) {
      if (moved) { return; }
      display(bookmark.screen || 1);
      if (bookmark.screen > 1) { status.textContent = "Resumed where you left off."; }
    });
  send("initialized");
  document.getElementById("next").onclick = function () { show(2); };
  document.getElementById("finish").onclick = function () {
    var choice = document.querySelector("input[name=q]:checked");
    var right = choice && choice.value === "b";
    send("completed", { completion: true }).then(function () {
      return send(right ? "passed" : "failed",
                  { success: right, score: { scaled: right ? 1 : 0 }, completion: true });
    }).then(function () {
      status.textContent = right ? "Correct: module passed." : "Not quite: try again.";
    });
  };
})();
