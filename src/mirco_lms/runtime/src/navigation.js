/*
 * navigation.js: the player's pages — showing one page at a time, the contents' marks,
 * the pager (previous/next, page x of y, progress meter), links to pages of other SCOs,
 * the status line, and the lock of a required pre-test (lessons and the final test wait
 * until it is submitted; the submission is in the kept state, so the lock survives resume).
 */

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
  return kind !== "assessment" && kind !== "finish" && kind !== "cover";
};

/** With a required pre-test not yet submitted: whether page `index` waits for it. */
Player.prototype.isLocked = function (index) {
  var pretest = this.tests.pretest;
  var page = this.pages[index];
  if (!page || !pretest || !pretest.data.required || pretest.attempt().used > 0) {
    return false;
  }
  var kind = page.getAttribute("data-kind");
  return kind === "lesson" || page.getAttribute("data-assessment") === "final";
};

/** Mark the contents' links of locked pages (and unmark them once the lock is lifted). */
Player.prototype.markLocks = function () {
  var self = this;
  $$("[data-page-link]").forEach(function (link) {
    var locked = self.isLocked(self.indexOf(link.getAttribute("data-page-link")));
    link.classList.toggle("mirco-locked", locked);
    if (locked) {
      link.setAttribute("aria-disabled", "true");
      link.setAttribute("title", t("pretestFirst"));
    } else if (link.hasAttribute("aria-disabled")) {
      link.removeAttribute("aria-disabled");
      link.removeAttribute("title");
    }
  });
};

Player.prototype.show = function (index, focus) {
  if (index < 0 || index >= this.pages.length) {
    return;
  }
  if (this.isLocked(index)) {
    this.status(t("pretestFirst"));
    index = this.indexOf("pretest");
    if (index === this.current) {
      return;
    }
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
  if (page.getAttribute("data-kind") === "finish") {
    this.showResult();
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
    this.markLocks();
    return;
  }
  var index = this.current;
  var skip = this.pages[0].getAttribute("data-kind") === "cover" ? 1 : 0; /* not counted */
  var total = this.pages.length - skip;
  this.bar.hidden = total < 2 || index < skip;
  $("[data-action=previous]", this.bar).disabled = index === 0;
  $("[data-action=next]", this.bar).disabled = index === this.pages.length - 1;
  this.markLocks();
  $(".mirco-progress", this.bar).textContent = t("pageOf", { current: index + 1 - skip, total: total });
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

/**
 * Show what the address's #fragment names: a page (#page-lesson-2) or anything inside one
 * (a heading's id). Called at start and whenever the fragment changes (hashchange).
 * False when the fragment names nothing in the package.
 */
Player.prototype.showHash = function () {
  var id = (window.location.hash || "").slice(1);
  try {
    id = decodeURIComponent(id);
  } catch (err) {
    return false;
  }
  var target = id ? document.getElementById(id) : null;
  var page = target ? target.closest("[data-page]") : null;
  var index = page ? this.indexOf(page.getAttribute("data-page")) : -1;
  if (index < 0) {
    return false;
  }
  if (index !== this.current) {
    this.show(index, target === page);
  }
  if (target !== page) {
    target.setAttribute("tabindex", "-1");
    target.focus();
  }
  return true;
};

Player.prototype.status = function (text) {
  var node = $(".mirco-status");
  if (node && text) {
    node.textContent = text;
    node.hidden = false;
  }
};
