/*
 * player.js: the course player — its state, completion and saving, knowledge checks and
 * answers, the learner's input (clicks, keys, forms) and the start when the page is ready.
 * Pages and the pager are in navigation.js, the tests in assessment.js.
 *
 * Events (on/emit in core.js): "started", "page", "answered", "submitted", "completed",
 * "finished". window.mirco = {course, on, off, state, ...} for trackers and tests.
 */

function Player(course, lms) {
  this.course = course;
  this.pages = $$("[data-page]");
  this.pageData = course.pages || [];
  this.current = -1;
  this.tracker = lms ? new Tracker(lms) : null;
  this.state = new State(this.pages.length, fingerprint(course));
  this.questions = {};
  this.tests = {};
  this.bar = $(".mirco-pager");
}

function fingerprint(course) {
  var ids = Object.keys(course.questions || {}).sort().join(",");
  var module = course.module || {};
  return hashString(module.id + "@" + module.version + ":" + ids).toString(36);
}

Player.prototype.question = function (id) {
  if (!this.questions[id]) {
    var node = $("[data-question=\"" + id + "\"]");
    var data = (this.course.questions || {})[id];
    this.questions[id] = node && data ? new Question(data, node) : null;
  }
  return this.questions[id];
};

/* --- completion and saving ------------------------------------------------------------- */

Player.prototype.progress = function () {
  var total = 0;
  var seen = 0;
  for (var i = 0; i < this.pages.length; i += 1) {
    if (this.isLesson(i)) {
      total += 1;
      seen += this.state.visited[i] ? 1 : 0;
    }
  }
  var final = this.course.assessments && this.course.assessments.final;
  if (final) {
    total += 1;
    seen += this.state.attempt("final").used > 0 ? 1 : 0;
  }
  return total ? seen / total : 1;
};

/**
 * Completed: every lesson visited and the final test finished — passed, or failed with
 * no attempt left. A failed test with attempts left is not completion, in SCORM 1.2, 2004
 * and cmi5 alike (an LMS's "completed" rule must not count a learner who can still pass).
 */
Player.prototype.isComplete = function () {
  var test = this.tests.final;
  var survey = this.tests.evaluation;
  return this.progress() >= 1 && (!test || test.passed() || !test.attemptsLeft()) &&
    (!survey || !survey.data.required || survey.attempt().used > 0);
};

/** Done: nothing left to do here (then the session exits "normal", not "suspend"). */
Player.prototype.isDone = function () {
  if (!this.isComplete()) {
    return false;
  }
  var test = this.tests.final;
  return !test || test.passed() || !test.attemptsLeft();
};

Player.prototype.save = function () {
  var complete = this.isComplete();
  if (complete && !this.wasComplete) {
    this.wasComplete = true;
    this.status(t("completed"));
    emit("completed", { progress: 1 });
  }
  if (!this.tracker) {
    return;
  }
  this.tracker.completed = complete;
  var page = this.pages[this.current];
  if (page && page.getAttribute("data-kind") === "cover") {
    page = this.pages[this.where] || page; /* the cover keeps the stored location */
  } else {
    this.where = this.current;
  }
  this.tracker.save(page ? page.getAttribute("data-page") : "", this.state,
    complete ? 1 : Math.min(this.progress(), 0.99));
};

/** End the session once: the LMS's (exit, session time, terminate), then "finished". */
Player.prototype.finish = function () {
  if (this.ended) {
    return;
  }
  this.ended = true;
  if (this.tracker && !this.tracker.finished) {
    this.tracker.completed = this.isComplete();
    this.tracker.finish(this.isDone());
  }
  emit("finished", { done: this.isDone() });
};

/* --- answers ------------------------------------------------------------------------------------ */

/** Report one scored answer: to listeners ("answered") and to the LMS (an interaction). */
Player.prototype.answered = function (kind, q, answer, result, now, attempt) {
  q.answeredAt = now;
  var page = q.node.closest("[data-page]");
  var detail = { assessment: kind, question: q.data.id, type: q.data.type, answer: answer,
    page: page ? page.getAttribute("data-page") : "", attempt: attempt || 0,
    correct: !!result.correct, points: q.data.points, outcomes: q.data.outcomes || [],
    latency: Math.max(0, now - q.shownAt), time: now };
  emit("answered", detail);
  if (this.tracker && !this.secret(kind)) { /* an anonymous evaluation stays out of the LMS */
    this.tracker.interaction({ id: kind + "." + q.data.id, question: q, answer: answer,
      correct: !!result.correct, latency: detail.latency, time: now, attempt: attempt || 0 });
  }
};

/** Whether the answers of test `kind` are anonymous (kept apart from the learner). */
Player.prototype.secret = function (kind) {
  return !!(this.tests[kind] && this.tests[kind].data.anonymous);
};

Player.prototype.check = function (aside) {
  var q = this.question(aside.getAttribute("data-check"));
  if (!q) {
    return;
  }
  var answer = q.read();
  var result = q.score(answer);
  q.showFeedback(result, false);
  if (result.answered && !result.invalid) {
    this.state.checks[q.data.id] = answer;
    this.answered("check", q, answer, result, Date.now());
    this.save();
  }
};

Player.prototype.changed = function (target) {
  var form = target.closest("form.mirco-quiz");
  var test = form ? this.tests[form.getAttribute("data-assessment")] : null;
  if (test) {
    test.remember();
    test.startClock();
    this.save();
  }
};

/* --- input ---------------------------------------------------------------------------------------- */

function moveItem(button) {
  var item = button.closest("[data-item]");
  var up = button.getAttribute("data-move") === "up";
  var other = item && (up ? item.previousElementSibling : item.nextElementSibling);
  if (!other) {
    return false;
  }
  item.parentNode.insertBefore(item, up ? other : other.nextElementSibling);
  button.focus();
  return true;
}

Player.prototype.bind = function () {
  var self = this;
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action], [data-page-link], [data-move]");
    if (!target) {
      return;
    }
    var action = target.getAttribute("data-action");
    if (action === "next" || action === "previous") {
      self.show(self.current + (action === "next" ? 1 : -1), true);
    } else if (action === "check") {
      self.check(target.closest("[data-check]"));
    } else if (action === "retry") {
      var section = target.closest("[data-assessment]");
      var test = section && self.tests[section.getAttribute("data-assessment")];
      if (test) {
        test.retry();
      }
    } else if (target.hasAttribute("data-page-link")) {
      var index = self.indexOf(target.getAttribute("data-page-link"));
      if (index >= 0) {
        event.preventDefault();
        self.show(index, true);
      } else if (self.goElsewhere(target.getAttribute("data-page-link"))) {
        event.preventDefault();
      }
    } else if (action === "exit-course") {
      self.exitCourse(target);
    } else if (target.hasAttribute("data-move") && moveItem(target)) {
      self.changed(target);
    }
  });
  document.addEventListener("change", function (event) {
    self.changed(event.target);
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form.mirco-quiz");
    if (form) {
      event.preventDefault();
      var test = self.tests[form.getAttribute("data-assessment")];
      if (test) {
        test.submit();
      }
    }
  });
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var step = event.code === "KeyN" ? 1 : event.code === "KeyP" ? -1 : 0;
    if (step) {
      event.preventDefault();
      self.show(self.current + step, true);
    }
  });
  window.addEventListener("hashchange", function () { self.showHash(); });
  window.addEventListener("pagehide", function () { self.finish(); });
  window.addEventListener("beforeunload", function () { self.finish(); });
  window.addEventListener("unload", function () { self.finish(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      self.save(); /* a phone may kill a hidden tab without pagehide: commit now */
    }
  });
};

/* --- start ---------------------------------------------------------------------------------------- */

function readCourse() {
  var node = document.getElementById("mirco-course");
  try {
    return node ? JSON.parse(node.textContent) : {};
  } catch (err) {
    warn("unreadable course data", err);
    return {};
  }
}

function storageKey(course) {
  var m = course.module || {};
  return "mirco:" + [m.id, m.version, course.language, course.sco].join(":");
}

function connect(course) {
  var lms = discover(course.scorm);
  if (lms && lms.initialize()) {
    return { lms: lms, message: "" };
  }
  var local = standalone(storageKey(course));
  if (local && local.initialize()) {
    return { lms: local, message: lms ? t("lmsError") : t("standalone") };
  }
  return { lms: null, message: lms ? t("lmsError") : t("noLms") };
}

/** cmi5: local progress per registration (the LMS keeps no SCORM data in this mode). */
function connectCmi5(course, launch) {
  var key = storageKey(course) + ":" + (launch ? launch.registration : "");
  var local = standalone(key);
  var ok = local && local.initialize();
  return { lms: ok ? local : null, message: launch ? "" : t("lmsError") };
}

function start() {
  var course = readCourse();
  strings = course.strings || {};
  numbers = course.numbers || numbers;
  if (course.mode === "cmi5" && typeof cmi5Launch === "function") {
    cmi5Launch(course, function (launch) { begin(course, connectCmi5(course, launch), launch); });
  } else {
    begin(course, connect(course), null);
  }
}

function begin(course, link, launch) {
  var player = new Player(course, link.lms);
  var saved = player.tracker ? player.tracker.resume() : { entry: "", location: "", suspend: "" };
  if (saved.suspend) {
    player.state.decode(saved.suspend);
  }
  Object.keys(course.assessments || {}).forEach(function (kind) {
    var section = $("[data-assessment=\"" + kind + "\"][data-page]");
    if (section) {
      var test = player.tests[kind] = new Test(player, course.assessments[kind], section);
      test.restore();
    }
  });
  Object.keys(player.state.checks).forEach(function (id) {
    var q = player.question(id);
    if (q) {
      q.write(player.state.checks[id]);
      q.showFeedback(q.score(player.state.checks[id]), false);
    }
  });
  scenarios(player);
  var final = player.tests.final;
  if (final && final.attempt().used && player.tracker) {
    player.tracker.success = final.passed() ? "passed" : "failed";
  }
  player.wasComplete = player.isComplete();
  player.bind();
  var resume = player.indexOf(saved.location);
  var hash = player.indexOf((window.location.hash || "").replace(/^#page-/, ""));
  var message = link.message || (resume > 0 || saved.entry === "resume" ? t("resumed") : "");
  document.documentElement.classList.add("mirco-js");
  player.status(message);
  window.mirco = { course: course, player: player, state: player.state, on: on, off: off,
    lms: launch ? "cmi5" : link.lms ? link.lms.version : "none" };
  if (course.xapi && typeof startXapi === "function") {
    var xapi = startXapi(player, course, link.lms, launch);
    window.mirco.xapi = xapi;
    var exit = $("[data-action=exit]");
    if (xapi && launch && exit) {
      exit.hidden = false;
      exit.addEventListener("click", function () { cmi5Exit(player, launch, xapi.sender); });
    }
  }
  emit("started", { lms: window.mirco.lms, entry: saved.entry, resumed: resume >= 0 });
  player.where = resume;
  var first = player.cover(resume);
  player.show(hash >= 0 ? hash : first, false);
  if (window.performance && window.performance.mark) {
    window.performance.mark("mirco-first-page");
  }
}

/* The course starts after the browser has painted the page the HTML shows first (one frame
   later): its work (course data, LMS, state, pages) never delays the first paint. A hidden
   document paints no frames: it starts at once. */
function startAfterPaint() {
  if (document.hidden) {
    start();
  } else {
    requestAnimationFrame(function () { setTimeout(start); });
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", startAfterPaint);
} else {
  startAfterPaint();
}
