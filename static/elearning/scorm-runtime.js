/* The SCORM run-time API of one attempt, in the player window of the package origin, which
   frames the SCO: the SCO finds the API in its parent window, as SCOs look for it. scorm-again
   (loaded just before, api.js) provides API (SCORM 1.2) and API_1484_11 (SCORM 2004); this
   sets it up with the attempt's stored data model, so the SCO resumes where the trainee
   stopped, and with the attempt's commit address. */
(function () {
  "use strict";
  var config = window.PAN_SCORM;
  if (!config) return;
  var settings = {
    autocommit: true,
    autocommitSeconds: 10,
    lmsCommitUrl: config.commitUrl,
    dataCommitFormat: "json",
    terminateCommitParam: "final",
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
