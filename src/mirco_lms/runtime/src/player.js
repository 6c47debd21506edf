/*
 * player.js: the course player — pages one at a time, contents, previous/next, progress,
 * keyboard shortcuts, knowledge checks, the pre-test and the final test; it keeps the
 * state, emits the course's events and starts everything when the page is ready.
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

Player.prototype.indexOf = function (pageId) {
  for (var i = 0; i < this.pages.length; i += 1) {
    if (this.pages[i].getAttribute("data-page") === pageId) {
      return i;
    }
  }
  return -1;
};

Player.prototype.isLesson = function (index) {
  var kind = this.pages[index].getAttribute("data-kind");
  return kind !== "assessment";
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
  return this.progress() >= 1 && (!test || test.passed() || !test.attemptsLeft());
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

/* --- pages ------------------------------------------------------------------------------- */

Player.prototype.show = function (index, focus) {
  if (index < 0 || index >= this.pages.length) {
    return;
  }
  var self = this;
  this.pages.forEach(function (page, i) { page.hidden = i !== index; });
  this.current = index;
  this.state.visited[index] = true;
  var page = this.pages[index];
  var id = page.getAttribute("data-page");
  $$("[data-page-link]").forEach(function (link) {
    var target = self.indexOf(link.getAttribute("data-page-link"));
    if (link.getAttribute("data-page-link") === id) {
      link.setAttribute("aria-current", "page");
    } else {
      link.removeAttribute("aria-current");
    }
    if (target >= 0 && self.state.visited[target]) {
      link.classList.add("mirco-visited");
      var mark = $(".mirco-visited-mark", link);
      if (!mark && link.closest(".mirco-toc")) {
        mark = document.createElement("span");
        mark.className = "mirco-visited-mark";
        mark.textContent = " " + t("visited");
        link.appendChild(mark);
      }
    }
  });
  this.updateBar();
  var test = this.tests[page.getAttribute("data-assessment") || ""];
  if (test) {
    test.shown();
  }
  $$("[data-question]", page).forEach(function (node) {
    var q = self.question(node.getAttribute("data-question"));
    if (q && !q.answeredAt) {
      q.shownAt = Date.now();
    }
  });
  if (focus) {
    var heading = $("h1", page) || $("h2", page) || page;
    heading.setAttribute("tabindex", "-1");
    heading.focus();
    window.scrollTo(0, 0);
  }
  var toc = $(".mirco-toc details");
  if (toc && focus) {
    toc.open = false;
  }
  emit("page", { id: id, index: index, title: (this.pageData[index] || {}).title || "" });
  this.save();
};

Player.prototype.updateBar = function () {
  if (!this.bar) {
    return;
  }
  var index = this.current;
  var total = this.pages.length;
  this.bar.hidden = total < 2;
  $("[data-action=previous]", this.bar).disabled = index === 0;
  $("[data-action=next]", this.bar).disabled = index === total - 1;
  $(".mirco-progress", this.bar).textContent = t("pageOf", { current: index + 1, total: total });
  var meter = $(".mirco-meter", this.bar);
  var percent = Math.round(this.progress() * 100);
  if (meter) {
    meter.value = percent;
    meter.textContent = t("progress", { percent: percent });
    meter.setAttribute("aria-valuetext", t("progress", { percent: percent }));
  }
};

/**
 * A link to a page of another SCO (one SCO per lesson): a SCORM 2004 LMS is asked to go
 * there (adl.nav.request choice, then the session ends); with no LMS the package's own
 * file opens; SCORM 1.2 has no way to ask, so the learner is told where to find it.
 * False when `pageId` is no page of the package.
 */
Player.prototype.goElsewhere = function (pageId) {
  var to = (this.course.elsewhere || {})[pageId];
  if (!to) {
    return false;
  }
  var lms = this.tracker ? this.tracker.lms : null;
  if (lms && lms.version === "2004" && lms.active && !lms.terminated &&
      lms.get("adl.nav.request_valid.choice.{target=" + to.sco + "}") !== "false" &&
      lms.set("adl.nav.request", "{target=" + to.sco + "}choice")) {
    this.finish();
    return true;
  }
  if (!lms || lms.version === "standalone") {
    this.finish();
    window.location.href = to.href;
    return true;
  }
  this.status(t("openFromMenu", { title: to.title }));
  return true;
};

Player.prototype.status = function (text) {
  var node = $(".mirco-status");
  if (node && text) {
    node.textContent = text;
    node.hidden = false;
  }
};

/* --- assessments ------------------------------------------------------------------------------ */

function Test(player, data, section) {
  this.player = player;
  this.data = data;
  this.section = section;
  this.form = $("form.mirco-quiz", section);
  this.result = $(".mirco-result", section);
  this.drawn = [];
}

Test.prototype.attempt = function () {
  return this.player.state.attempt(this.data.kind);
};

Test.prototype.passed = function () {
  var a = this.attempt();
  return this.data.passingScore !== null && a.score !== null && a.score >= this.passingScore();
};

Test.prototype.passingScore = function () {
  var tracker = this.player.tracker;
  var own = this.data.passingScore;
  return tracker && own !== null ? tracker.passingScore(own) : own;
};

Test.prototype.attemptsLeft = function () {
  var limit = this.data.attempts || 0;
  return limit === 0 || this.attempt().used < limit;
};

/** Draw, order and shuffle the questions of the current attempt from its seed. */
Test.prototype.arrange = function () {
  var seed = this.attempt().seed;
  var random = prng(seed ^ hashString(this.data.id));
  var drawn = [];
  (this.data.items || []).forEach(function (item) {
    if (item.pool) {
      drawn = drawn.concat(shuffled(item.questions, random).slice(0, item.draw));
    } else {
      drawn.push(item.question);
    }
  });
  if (this.data.shuffle) {
    drawn = shuffled(drawn, random);
  }
  var player = this.player;
  var submit = $(".mirco-submit", this.form);
  $$("[data-question]", this.form).forEach(function (node) { node.hidden = true; });
  this.drawn = drawn.map(function (id, i) {
    var q = player.question(id);
    if (!q) {
      return null;
    }
    q.node.hidden = false;
    q.node.setAttribute("data-position", String(i + 1));
    var number = $(".mirco-qnum", q.node);
    if (number) {
      number.textContent = t("question", { number: i + 1 });
    }
    q.clearFeedback();
    q.lock(false);
    q.write("");
    q.shuffle(prng(seed ^ hashString(id)));
    q.answeredAt = 0;
    submit.parentNode.insertBefore(q.node, submit);
    return q;
  }).filter(Boolean);
};

Test.prototype.restore = function () {
  var a = this.attempt();
  this.arrange();
  this.drawn.forEach(function (q, i) {
    if (a.answers[i]) {
      q.write(a.answers[i]);
    }
  });
  if (a.submitted) {
    this.review(false);
  } else if (a.started) {
    this.startClock();
  }
};

Test.prototype.remember = function () {
  var a = this.attempt();
  if (a.submitted) {
    return;
  }
  a.answers = this.drawn.map(function (q) { return q.read(); });
};

Test.prototype.shown = function () {
  this.shownAt = this.shownAt || Date.now();
};

/* --- time limit: the clock starts with the attempt's first answer (a learner paging past
 * a test does not start it) and keeps running, on other pages too and across sessions (the
 * start is kept in the suspend data); when time is up, the answers given are submitted. -- */

Test.prototype.limit = function () {
  return (this.data.timeLimit || 0) * 60000;
};

Test.prototype.startClock = function () {
  var a = this.attempt();
  if (!this.limit() || a.submitted) {
    return;
  }
  if (!a.started) {
    a.started = Date.now();
  }
  var self = this;
  if (!this.clock) {
    this.clock = window.setInterval(function () { self.tick(); }, 1000);
    /* the first tick once the launch is done (listeners such as the xAPI sender attached):
     * an attempt whose time ran out while the learner was away is submitted then */
    window.setTimeout(function () { self.tick(); }, 0);
  }
};

Test.prototype.stopClock = function () {
  if (this.clock) {
    window.clearInterval(this.clock);
    this.clock = null;
  }
  var node = $(".mirco-timer", this.section);
  if (node) {
    node.hidden = true;
  }
};

Test.prototype.tick = function () {
  var a = this.attempt();
  if (a.submitted || !a.started) {
    this.stopClock();
    return;
  }
  var left = this.limit() - (Date.now() - a.started);
  if (left <= 0) {
    this.submit(true);
    return;
  }
  var node = $(".mirco-timer", this.section);
  if (node) {
    node.textContent = t("timeLeft", { time: clockText(left) });
    node.classList.toggle("mirco-timer-low", left <= 60000);
    node.hidden = false;
  }
};

/** "4:05" or "1:02:09" for a time left in milliseconds (rounded up to the second). */
function clockText(ms) {
  var total = Math.ceil(ms / 1000);
  var h = Math.floor(total / 3600);
  var m = Math.floor((total % 3600) / 60);
  var s = total % 60;
  var mm = h ? (m < 10 ? "0" : "") + m : String(m);
  return (h ? h + ":" : "") + mm + ":" + (s < 10 ? "0" : "") + s;
}

/** Score the attempt; `timeUp`: submitted by the clock, not by the learner. */
Test.prototype.submit = function (timeUp) {
  var a = this.attempt();
  if (a.submitted) {
    return;
  }
  this.remember();
  this.stopClock();
  var points = 0;
  var max = 0;
  var now = Date.now();
  var self = this;
  var results = this.drawn.map(function (q, i) {
    var answer = a.answers[i] || "";
    var r = q.score(answer);
    max += q.data.points;
    points += r.correct ? q.data.points : 0;
    self.player.answered(self.data.kind, q, answer, r, now, a.used + 1);
    return r;
  });
  a.used += 1;
  a.submitted = true;
  a.score = max ? Math.round((points / max) * 10000) / 100 : 0;
  var final = this.data.kind === "final";
  var tracker = this.player.tracker;
  if (final && tracker) {
    tracker.score(a.score, this.passed());
  }
  emit("submitted", { assessment: this.data.kind, attempt: a.used, score: a.score,
    points: points, maxPoints: max, passed: final ? this.passed() : null,
    correct: results.filter(function (r) { return r.correct; }).length,
    questions: results.length });
  this.review(true);
  if (timeUp) {
    var note = document.createElement("p");
    note.className = "mirco-time-up";
    note.textContent = t("timeUp");
    this.result.insertBefore(note, this.result.firstChild);
    if (this.section.hidden) { /* the learner is on another page: say so there */
      this.player.status(t("timeUp"));
    }
  }
  this.player.save();
  this.player.updateBar();
};

/** Lock the form, show each question's verdict and the result with what comes next. */
Test.prototype.review = function (focus) {
  var a = this.attempt();
  this.drawn.forEach(function (q, i) {
    q.showFeedback(q.score(a.answers[i] || ""), true);
    q.lock(true);
  });
  $(".mirco-submit", this.form).hidden = true;
  var final = this.data.kind === "final";
  var box = this.result;
  box.innerHTML = "";
  function line(text, cls) {
    var p = document.createElement("p");
    p.textContent = text;
    if (cls) {
      p.className = cls;
    }
    box.appendChild(p);
    return p;
  }
  line(t("score", { score: a.score }), "mirco-score");
  if (final) {
    var passed = this.passed();
    line(passed ? t("passed") : t("failed"), passed ? "mirco-ok" : "mirco-bad");
    if (this.data.attempts) {
      line(t("attemptOf", { current: a.used, total: this.data.attempts }));
    }
  } else {
    line(t("pretestNote"));
  }
  line(t("review"));
  if (!this.passed() && this.attemptsLeft()) {
    if (final && this.data.attempts) {
      line(t("attemptsLeft", { count: this.data.attempts - a.used }));
    }
    var retry = document.createElement("button");
    retry.type = "button";
    retry.className = "mirco-button";
    retry.setAttribute("data-action", "retry");
    retry.textContent = t("retry");
    box.appendChild(retry);
  } else if (final && !this.passed()) {
    line(t("noAttempts"));
  }
  box.hidden = false;
  if (focus) {
    box.setAttribute("tabindex", "-1");
    box.focus();
  }
};

Test.prototype.retry = function () {
  var a = this.attempt();
  if (!a.submitted || !this.attemptsLeft()) {
    return;
  }
  a.seed = newSeed();
  a.submitted = false;
  a.answers = [];
  a.started = 0;
  this.shownAt = Date.now();
  this.arrange();
  this.result.hidden = true;
  $(".mirco-submit", this.form).hidden = false;
  this.player.save();
  var heading = $("h1", this.section);
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
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
  if (this.tracker) {
    this.tracker.interaction({ id: kind + "." + q.data.id, question: q, answer: answer,
      correct: !!result.correct, latency: detail.latency, time: now, attempt: attempt || 0 });
  }
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
  player.show(hash >= 0 ? hash : Math.max(resume, 0), false);
  if (window.performance && window.performance.mark) {
    window.performance.mark("mirco-first-page");
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
