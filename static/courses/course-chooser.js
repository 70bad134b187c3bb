// The run form's course chooser: Wagtail's page chooser, opening at the coordinator's
// institution (opts.startParentId) until a course is chosen; then, as Wagtail's does, at the
// chosen course's curriculum. Wagtail's PageChooser is looked up when a chooser is made: the
// admin's media may load this file before page-chooser.js.
(function () {
  "use strict";
  let Chooser = null;
  window.CourseChooser = function CourseChooser(id, opts) {
    if (!Chooser) {
      Chooser = class extends window.PageChooser {
        getModalOptions() {
          const options = super.getModalOptions();
          if (!options.parentId && this.opts.startParentId) {
            options.parentId = this.opts.startParentId;
          }
          return options;
        }
      };
    }
    return new Chooser(id, opts);
  };
})();
