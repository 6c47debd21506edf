/*
 * state.js: what the learner did, and its compact encoding in cmi.suspend_data.
 *
 * The question draw and every shuffle are derived from a per-attempt seed, so only the
 * seed is stored; answers are stored in draw order as short strings (choice indices in
 * base 36, texts as typed). The encoding is JSON:
 *
 *   {"v":1,"h":"k3x9","p":"110100","a":{"final":[submitted,seed,done,score,[answers]]},
 *    "k":{"check-id":"answer"},"s":{"scenario-id":"0.2.5"}}
 *
 * When it would not fit the LMS's limit (4,096 characters in SCORM 1.2, 64,000 in 2004)
 * the least important data goes first: knowledge-check answers, pre-test answers, long
 * texts, then the answers of submitted attempts. A scenario's path (its node indexes in
 * base 36, see scenario.js) is always kept. Encoding never throws.
 */

var STATE_VERSION = 1;

function State(pageCount, fingerprint) {
  this.visited = [];
  for (var i = 0; i < pageCount; i += 1) {
    this.visited.push(false);
  }
  this.fingerprint = fingerprint;
  this.assessments = {}; /* kind → {used, seed, submitted, score, answers: [], started} */
  this.checks = {}; /* question id → answer */
  this.scenarios = {}; /* scenario id → the path taken, "0.2.5" */
  this.registration = uuid4(); /* the xAPI registration of this attempt (kept as "r") */
}

/** A random (version 4) UUID. */
function uuid4() {
  var b = new Uint8Array(16);
  window.crypto.getRandomValues(b);
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); })
    .join("");
  return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
}

State.prototype.attempt = function (kind) {
  var a = this.assessments[kind];
  if (!a) {
    a = this.assessments[kind] = { used: 0, seed: newSeed(), submitted: false, score: null,
      answers: [], started: 0 };
  }
  return a;
};

State.prototype.allVisited = function (isLesson) {
  for (var i = 0; i < this.visited.length; i += 1) {
    if (isLesson(i) && !this.visited[i]) {
      return false;
    }
  }
  return true;
};

function trimText(answer, max) {
  return answer.length > max ? answer.slice(0, max) : answer;
}

function packAssessments(assessments, opts) {
  var out = {};
  Object.keys(assessments).forEach(function (kind) {
    var a = assessments[kind];
    var answers = a.answers.map(function (x) { return trimText(x || "", opts.textMax); });
    if (opts.dropAnswers(kind, a) || kind === "evaluation") { /* survey answers: never kept */
      answers = [];
    }
    while (answers.length && !answers[answers.length - 1]) {
      answers.pop();
    }
    var row = [a.used, a.seed.toString(36), a.submitted ? 1 : 0,
      a.score === null ? -1 : a.score];
    if (answers.length) {
      row.push(answers);
    }
    out[kind] = row;
  });
  return out;
}

/** Knowledge-check answers, texts (an essay) cut to `max` characters. */
function packChecks(checks, max) {
  var out = {};
  Object.keys(checks).forEach(function (id) { out[id] = trimText(checks[id], max); });
  return out;
}

/** kind → start (epoch seconds, base 36) of each timed attempt in progress, or null. */
function startedClocks(assessments) {
  var out = null;
  Object.keys(assessments).forEach(function (kind) {
    var a = assessments[kind];
    if (a.started && !a.submitted) {
      out = out || {};
      out[kind] = Math.floor(a.started / 1000).toString(36);
    }
  });
  return out;
}

/** Ways of encoding, from complete to minimal: the first that fits the limit wins. */
var DEGRADE = [
  { checks: true, textMax: 1000, dropAnswers: function () { return false; } },
  { checks: false, textMax: 1000, dropAnswers: function () { return false; } },
  { checks: false, textMax: 1000,
    dropAnswers: function (kind, a) { return kind !== "final" && a.submitted; } },
  { checks: false, textMax: 40, dropAnswers: function (kind) { return kind !== "final"; } },
  { checks: false, textMax: 40, dropAnswers: function (kind, a) { return a.submitted || kind !== "final"; } },
  { checks: false, textMax: 0, dropAnswers: function () { return true; } }
];

State.prototype.encode = function (limit) {
  var visited = this.visited.map(function (v) { return v ? "1" : "0"; }).join("");
  var text = "";
  for (var i = 0; i < DEGRADE.length; i += 1) {
    var opts = DEGRADE[i];
    var data = { v: STATE_VERSION, h: this.fingerprint, p: visited, r: this.registration,
      a: packAssessments(this.assessments, opts) };
    if (opts.checks && Object.keys(this.checks).length) {
      data.k = packChecks(this.checks, opts.textMax);
    }
    if (Object.keys(this.scenarios).length) {
      data.s = this.scenarios;
    }
    var clocks = startedClocks(this.assessments);
    if (clocks) {
      data.t = clocks;
    }
    try {
      text = JSON.stringify(data);
    } catch (err) {
      text = "";
    }
    if (text.length <= limit) {
      if (i > 0) {
        warn("suspend data shortened to fit " + limit + " characters (level " + i + ")");
      }
      return text;
    }
  }
  warn("suspend data does not fit " + limit + " characters; progress is not saved");
  return "";
};

/** Restore what `text` holds (ignores anything unreadable or from another course version). */
State.prototype.decode = function (text) {
  var data;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return false;
  }
  if (!data || data.v !== STATE_VERSION) {
    return false;
  }
  var self = this;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(data.r || "")) {
    this.registration = data.r;
  }
  String(data.p || "").split("").forEach(function (bit, i) {
    if (i < self.visited.length) {
      self.visited[i] = bit === "1";
    }
  });
  if (data.h !== this.fingerprint) {
    return true; /* the course changed since: keep the pages seen, start the tests afresh */
  }
  Object.keys(data.a || {}).forEach(function (kind) {
    var row = data.a[kind];
    if (!Array.isArray(row) || row.length < 4) {
      return;
    }
    self.assessments[kind] = {
      used: Number(row[0]) || 0,
      seed: parseInt(row[1], 36) || newSeed(),
      submitted: row[2] === 1,
      score: row[3] === -1 ? null : Number(row[3]),
      answers: Array.isArray(row[4]) ? row[4].map(String) : [],
      started: 0
    };
  });
  Object.keys(data.t || {}).forEach(function (kind) {
    var a = self.assessments[kind];
    var seconds = parseInt(String(data.t[kind]), 36);
    if (a && !a.submitted && seconds > 0) {
      a.started = seconds * 1000;
    }
  });
  Object.keys(data.s || {}).forEach(function (id) { self.scenarios[id] = String(data.s[id]); });
  if (data.k && typeof data.k === "object") {
    Object.keys(data.k).forEach(function (id) { self.checks[id] = String(data.k[id]); });
  }
  return true;
};
