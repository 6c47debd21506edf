/*
 * assessment.js: a test (pre-test or final test) — its attempts, the questions drawn and
 * shuffled per attempt, the time limit, scoring on submit, the review and the retry.
 */

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

/** The test's review rule: `never`, `after-pass`, `after-last-attempt` or `always`. */
Test.prototype.reviewRule = function () {
  return this.data.review || (this.data.kind === "final" ? "after-last-attempt" : "always");
};

/**
 * Whether the review — each question's verdict, the feedback of the options chosen and the
 * correct answer — may be shown now. Until then none of it is put in the page, so attempt 2
 * cannot be copied from attempt 1.
 */
Test.prototype.mayReview = function () {
  var rule = this.reviewRule();
  if (!this.attempt().submitted || rule === "never") {
    return false;
  }
  if (rule === "always") {
    return true;
  }
  return this.passed() || (rule === "after-last-attempt" && !this.attemptsLeft());
};

var REVIEW_LATER = { "never": "reviewNever", "after-pass": "reviewAfterPass",
  "after-last-attempt": "reviewAfterLast" };

/** Lock the form, show the result, what comes next and (when the rule allows) the review. */
Test.prototype.review = function (focus) {
  var a = this.attempt();
  var open = this.mayReview();
  this.drawn.forEach(function (q, i) {
    if (open) {
      q.showFeedback(q.score(a.answers[i] || ""), true);
    } else {
      q.clearFeedback();
    }
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
  var survey = this.data.kind === "evaluation";
  line(survey ? t("evaluationSent") : t("score", { score: a.score }), survey ? "" : "mirco-score");
  if (final) {
    var passed = this.passed();
    line(passed ? t("passed") : t("failed"), passed ? "mirco-ok" : "mirco-bad");
    if (this.data.attempts) {
      line(t("attemptOf", { current: a.used, total: this.data.attempts }));
    }
  } else if (!survey) {
    line(t("pretestNote"));
  }
  if (!survey) {
    line(open ? t("review") : t(REVIEW_LATER[this.reviewRule()] || "reviewNever"));
  }
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
