/*
 * tracking.js: the SCORM side of the course — bookmark, suspend data, completion,
 * success, score, interactions, session time and exit, in each version's data model.
 *
 * It listens to the course's events (see core.js) and writes to the LMS; a tracker for
 * xAPI can listen to the same events.
 */

var KEYS = {
  "1.2": {
    location: "cmi.core.lesson_location", suspend: "cmi.suspend_data", entry: "cmi.core.entry",
    exit: "cmi.core.exit", sessionTime: "cmi.core.session_time", raw: "cmi.core.score.raw",
    min: "cmi.core.score.min", max: "cmi.core.score.max", mastery: "cmi.student_data.mastery_score"
  },
  "2004": {
    location: "cmi.location", suspend: "cmi.suspend_data", entry: "cmi.entry",
    exit: "cmi.exit", sessionTime: "cmi.session_time", raw: "cmi.score.raw",
    min: "cmi.score.min", max: "cmi.score.max", mastery: "cmi.scaled_passing_score"
  }
};
var SUSPEND_LIMIT = { "1.2": 4096, "2004": 64000, "standalone": 64000 };
/* The most integer digits a real number may have: SCORM 1.2's CMIDecimal as Moodle checks
   it (scores, weightings) and SCORM 2004's real(10,7) as Moodle's CMIDecimal checks it. */
var INTEGER_DIGITS = { "1.2": 3, "2004": 5 };
var FRACTION_DIGITS = 7;
/* Interaction descriptions: at most this many characters, and only on a question's first
   attempt (a retake repeats the same stems). Moodle's 2004 runtime posts the whole CMI tree,
   percent-encoded, on every commit; a browser's keepalive budget at unload is 64 KiB. */
var DESCRIPTION_MAX = 60;

function Tracker(lms) {
  this.lms = lms;
  this.v12 = lms.version === "1.2";
  this.keys = KEYS[this.v12 ? "1.2" : "2004"];
  this.started = Date.now();
  this.completed = false;
  this.success = "unknown";
  this.finished = false;
}

Tracker.prototype.get = function (name) {
  return this.lms.get(this.keys[name]);
};

Tracker.prototype.set = function (name, value) {
  return this.lms.set(this.keys[name] || name, value);
};

/** Passing score in percent: the LMS's (mastery score, scaled passing score) or the course's. */
Tracker.prototype.passingScore = function (fallback) {
  if (this.mastery === undefined) {
    this.mastery = this.get("mastery");
  }
  var raw = this.mastery;
  var value = parseFloat(raw);
  if (raw === "" || isNaN(value)) {
    return fallback;
  }
  return this.v12 ? value : value * 100;
};

/** What the LMS remembers: {entry, location, suspend, completed, success}. */
Tracker.prototype.resume = function () {
  var status = this.v12 ? this.lms.get("cmi.core.lesson_status") :
    this.lms.get("cmi.completion_status");
  this.completed = status === "completed" || status === "passed" || status === "failed";
  if (this.v12) {
    this.success = status === "passed" || status === "failed" ? status : "unknown";
  } else {
    var success = this.lms.get("cmi.success_status");
    this.success = success === "passed" || success === "failed" ? success : "unknown";
  }
  return {
    entry: this.get("entry"),
    location: this.get("location"),
    suspend: this.get("suspend")
  };
};

/** Write the bookmark, the suspend data and the status, then commit. */
Tracker.prototype.save = function (location, state, progress) {
  if (this.finished) {
    return;
  }
  if (location) {
    this.set("location", location);
  }
  this.set("suspend", state.encode(SUSPEND_LIMIT[this.lms.version] || 4096));
  if (!this.v12 && progress !== null) {
    this.lms.set("cmi.progress_measure", String(Math.round(progress * 100) / 100));
  }
  this.writeStatus();
  this.set("sessionTime", this.sessionTime());
  this.lms.commit();
};

Tracker.prototype.sessionTime = function () {
  var ms = Date.now() - this.started;
  return this.v12 ? timespan12(ms) : duration2004(ms);
};

Tracker.prototype.writeStatus = function () {
  if (this.v12) {
    var status = this.success !== "unknown" ? this.success :
      this.completed ? "completed" : "incomplete";
    this.lms.set("cmi.core.lesson_status", status);
  } else {
    this.lms.set("cmi.completion_status", this.completed ? "completed" : "incomplete");
    this.lms.set("cmi.success_status", this.success);
  }
};

/** The final test's score (percent) and pass/fail. */
Tracker.prototype.score = function (percent, passed) {
  var raw = Math.round(percent * 100) / 100;
  this.success = passed ? "passed" : "failed";
  if (this.v12) {
    /* An LMS that stores only changed elements, in its own order (Moodle's 1.2 runtime puts
       score.raw before lesson_status in one post), evaluates completion when the score
       arrives: the status must already be stored by then. */
    this.writeStatus();
    this.lms.commit();
  }
  this.set("min", "0");
  this.set("max", "100");
  this.set("raw", String(raw));
  if (!this.v12) {
    this.lms.set("cmi.score.scaled", String(Math.round(raw * 100) / 10000));
  }
};

/** Journal one answer as cmi.interactions.n (appended: 1.2 interactions are write-only). */
Tracker.prototype.interaction = function (info) {
  var lms = this.lms;
  var version = this.v12 ? "1.2" : "2004";
  var form = info.question.interaction(info.answer, version);
  var id = String(info.id).replace(/[^A-Za-z0-9_.:-]/g, "_").slice(0, 255);
  var n = this.slot(id);
  var fresh = n === this.ids.length;
  this.ids[n] = id;
  var base = "cmi.interactions." + n + ".";
  var when = new Date(info.time);
  lms.set(base + "id", id);
  lms.set(base + "type", form.type);
  if (form.type === "numeric") {
    form = numericForm(form, version);
  }
  (info.question.data.outcomes || []).forEach(function (outcome, i) {
    lms.set(base + "objectives." + i + ".id", String(outcome).replace(/[^A-Za-z0-9_.:-]/g, "_"));
  });
  lms.set(base + (this.v12 ? "time" : "timestamp"), this.v12 ? time12(when) : timestamp2004(when));
  if (form.pattern) {
    lms.set(base + "correct_responses.0.pattern", form.pattern);
  }
  var weighting = decimal(info.question.data.points, version);
  if (weighting && weighting !== "1") { /* 1 is what an LMS assumes: one field less to post */
    lms.set(base + "weighting", weighting);
  }
  if (form.response) {
    lms.set(base + (this.v12 ? "student_response" : "learner_response"), form.response);
  }
  lms.set(base + "result", info.question.data.graded === false ? "neutral" :
    info.correct ? "correct" : this.v12 ? "wrong" : "incorrect");
  lms.set(base + "latency", this.v12 ? timespan12(info.latency) : duration2004(info.latency));
  if (!this.v12 && fresh) {
    var text = shorten(cleanText(info.question.stemText(), 250), DESCRIPTION_MAX);
    if (text) {
      lms.set(base + "description", text);
    }
  }
};

/**
 * Where to journal interaction `id`: SCORM 1.2 appends (its interactions are write-only);
 * SCORM 2004 keeps one entry per question, the latest answer (a retake updates it in
 * place), so that the CMI tree an LMS posts whole stays small.
 */
Tracker.prototype.slot = function (id) {
  if (!this.ids) {
    var count = parseInt(this.lms.get("cmi.interactions._count"), 10) || 0;
    this.ids = [];
    for (var i = 0; i < count; i += 1) {
      this.ids.push(this.v12 ? "" : this.lms.get("cmi.interactions." + i + ".id"));
    }
  }
  var at = this.v12 ? -1 : this.ids.indexOf(id);
  return at >= 0 ? at : this.ids.length;
};

/**
 * `value` as a plain decimal within what every LMS accepts for SCORM `version` (at most
 * INTEGER_DIGITS integer digits, FRACTION_DIGITS decimals, never an exponent), or "" when
 * it cannot be written so (then the element is left out).
 */
function decimal(value, version) {
  var number = Number(value);
  if (value === "" || value === null || !isFinite(number)) {
    return "";
  }
  var text = number.toFixed(FRACTION_DIGITS).replace(/\.?0+$/, "");
  var digits = text.replace(/^-/, "").split(".")[0];
  return digits.length > INTEGER_DIGITS[version] ? "" : text === "-0" ? "0" : text;
}

/** A numeric interaction's response and pattern as decimals the LMS accepts ("" if not). */
function numericForm(form, version) {
  if (version === "1.2") {
    return form; /* 1.2: a response is CMIFeedback (text), the pattern too */
  }
  var bounds = form.pattern ? form.pattern.split("[:]") : [];
  var low = decimal(bounds[0], version);
  var high = decimal(bounds[1], version);
  return { type: form.type, response: decimal(form.response, version),
    pattern: bounds.length === 2 && low && high ? low + "[:]" + high : "" };
}

/** `text` cut to `max` characters at a word boundary, with an ellipsis when cut. */
function shorten(text, max) {
  if (text.length <= max) {
    return text;
  }
  var cut = text.slice(0, max - 1);
  var space = cut.lastIndexOf(" ");
  return (space > max / 2 ? cut.slice(0, space) : cut) + "\u2026";
}

/**
 * End the session once: exit mode, session time, terminate. No Commit first: Terminate
 * (LMSFinish) stores everything, and at unload an LMS may have only one beacon's budget
 * (Moodle posts the whole 2004 CMI tree each time; a second post can be refused).
 */
Tracker.prototype.finish = function (done) {
  if (this.finished) {
    return;
  }
  this.writeStatus();
  this.set("exit", done ? (this.v12 ? "" : "normal") : "suspend");
  this.set("sessionTime", this.sessionTime());
  this.finished = true;
  this.lms.terminate();
};
