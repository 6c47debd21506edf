/*
 * finish.js: the finish page — the learner's result when it is shown, and "Exit course",
 * which ends the LMS session cleanly: SCORM 2004 asks the LMS to leave (exitAll when
 * nothing is left to do, suspendAll otherwise), then exit mode, session time and
 * Terminate / LMSFinish; cmi5 uses its own exit (statements sent, back to returnURL).
 */

/** Fill the finish page's result: completion, and the final test's score if taken. */
Player.prototype.showResult = function () {
  var node = $("[data-finish-result]");
  if (!node) {
    return;
  }
  var lines = [this.isComplete() ? t("completed")
    : t("notComplete", { percent: Math.round(this.progress() * 100) })];
  var final = this.tests.final;
  if (final && final.attempt().used) {
    lines.push(t("score", { score: final.attempt().score }) + " · " +
      (final.passed() ? t("passed") : t("failed")));
  } else if (final) {
    lines.push(t("finalNotTaken"));
  }
  while (node.firstChild) {
    node.removeChild(node.firstChild);
  }
  lines.forEach(function (text) {
    var p = document.createElement("p");
    p.textContent = text;
    node.appendChild(p);
  });
};

/** "Exit course": end the session once, tell the learner they may close the window. */
Player.prototype.exitCourse = function (button) {
  var cmi5 = $("[data-action=exit]");
  if (window.mirco && window.mirco.lms === "cmi5" && cmi5) {
    cmi5.click();
    return;
  }
  var lms = this.tracker ? this.tracker.lms : null;
  if (lms && lms.version === "2004" && lms.active && !lms.terminated) {
    lms.set("adl.nav.request", this.isDone() ? "exitAll" : "suspendAll");
  }
  this.save();
  this.finish();
  button.disabled = true;
  document.documentElement.classList.add("mirco-ended");
  this.status(t("closeWindow"));
};
