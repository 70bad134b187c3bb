// A sample cmi5 assignable unit: fetch the auth token (once), read LMS.LaunchData, then send
// initialized, completed, passed/failed and terminated with the session's context template.
(function () {
  var params = new URLSearchParams(location.search);
  var endpoint = params.get("endpoint");
  var actor = JSON.parse(params.get("actor"));
  var registration = params.get("registration");
  var activityId = params.get("activityId");
  var status = document.getElementById("status");
  var auth, launchData;

  function headers() {
    return { "Content-Type": "application/json", "Authorization": "Basic " + auth,
             "X-Experience-API-Version": "1.0.3" };
  }
  function send(verb, verbId, result) {
    var context = JSON.parse(JSON.stringify(launchData.contextTemplate));
    context.registration = registration;
    context.contextActivities = context.contextActivities || {};
    context.contextActivities.category = [{ id: "https://w3id.org/xapi/cmi5/context/categories/cmi5" }];
    if (verb === "passed" || verb === "failed") {
      context.contextActivities.category.push({ id: "https://w3id.org/xapi/cmi5/context/categories/moveon" });
    }
    var statement = { actor: actor, verb: { id: verbId, display: { "en-US": verb } },
                      object: { objectType: "Activity", id: activityId }, context: context,
                      timestamp: new Date().toISOString() };
    if (result) { statement.result = result; }
    return fetch(endpoint + "statements", { method: "POST", headers: headers(),
                                            body: JSON.stringify(statement) });
  }
  fetch(params.get("fetch"), { method: "POST" })
    .then(function (r) { return r.json(); })
    .then(function (body) {
      auth = body["auth-token"];
      var url = endpoint + "activities/state?" + new URLSearchParams({
        activityId: activityId, agent: JSON.stringify(actor), registration: registration,
        stateId: "LMS.LaunchData" });
      return fetch(url, { headers: headers() });
    })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      launchData = data;
      status.textContent = "Move on when: " + data.moveOn + ".";
      return send("initialized", "http://adlnet.gov/expapi/verbs/initialized");
    })
    .catch(function () { status.textContent = "Could not connect to the learning record store."; });

  document.getElementById("submit").onclick = function () {
    var choice = document.querySelector("input[name=q]:checked");
    var score = choice && choice.value === "b" ? 1 : 0;
    var passed = score >= (launchData.masteryScore || 0.5);
    send("completed", "http://adlnet.gov/expapi/verbs/completed", { completion: true })
      .then(function () {
        return send(passed ? "passed" : "failed",
                    "http://adlnet.gov/expapi/verbs/" + (passed ? "passed" : "failed"),
                    { success: passed, score: { scaled: score } });
      })
      .then(function () { return send("terminated", "http://adlnet.gov/expapi/verbs/terminated"); })
      .then(function () { status.textContent = passed ? "Passed. You may close this unit." : "Not passed."; });
  };
})();
