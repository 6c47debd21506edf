/*
 * xapi.js: the course's events as xAPI statements, per docs/xapi-profile.md — alongside
 * SCORM, never instead. The activity ids come from the course data (`course.xapi`), the
 * same in every language; the language goes in context.language.
 *
 * Session: initialized (+ resumed) … experienced (lesson left), answered (question),
 * completed (pre-test), passed/failed (final test, then the module), completed (module)
 * … suspended (when coming back later) + terminated. In cmi5 mode (cmi5.js) the
 * statements about the launched AU are "cmi5 defined" ones: the launch's activityId as
 * object, the cmi5 (and moveOn) categories and the LMS's context template.
 */

/* The profile's IRIs come with the course data (`course.xapi.profile`, written by the build
 * from mirco_lms/xapi/profile.py): verbs, extensions, categories and types by name. */
var KINDS = { pretest: "pretest", final: "final", evaluation: "evaluation" };

function copy(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/**
 * One learner's statements. `link`: {sender, actor, registration, cmi5} where cmi5 is
 * null or {activityId, template, launchMode, masteryScore}.
 */
function Xapi(player, course, link) {
  this.player = player;
  this.course = course;
  this.data = course.xapi;
  this.lang = course.language;
  this.sender = link.sender;
  this.actor = link.actor;
  this.registration = link.registration;
  this.cmi5 = link.cmi5;
  this.started = Date.now();
  this.last = 0;
  this.visit = null;
  this.judged = false; /* cmi5: one passed-or-failed per session */
  this.failedResult = null;
}

Xapi.prototype.lmsLabel = function (map) {
  var out = {};
  out[this.lang] = map;
  return out;
};

/** The activity object {id, definition: {type, name}}. */
Xapi.prototype.activity = function (act, name, more) {
  var definition = { type: act.type };
  if (name) {
    definition.name = this.lmsLabel(name);
  }
  Object.keys(more || {}).forEach(function (k) { definition[k] = more[k]; });
  return { objectType: "Activity", id: act.id, definition: definition };
};

Xapi.prototype.unit = function () {
  var unit = this.data.unit;
  if (this.cmi5) {
    return { id: this.cmi5.activityId, type: unit.type };
  }
  return unit;
};

/** Merge `extra` context activities into `ctx` without duplicates (template values stay). */
function addActivities(ctx, kind, list, first) {
  var all = ctx.contextActivities = ctx.contextActivities || {};
  var have = all[kind] || [];
  list.forEach(function (a) {
    if (!have.some(function (h) { return h.id === a.id; })) {
      have = first ? [a].concat(have) : have.concat([a]);
    }
  });
  all[kind] = have;
}

/** context: the cmi5 template (if any), registration, language, module, profile, extensions. */
Xapi.prototype.context = function (opts) {
  var ctx = opts.anonymous ? {} : copy(this.cmi5 && this.cmi5.template) || {};
  if (!opts.anonymous) {
    ctx.registration = this.registration;
  }
  ctx.language = this.lang;
  addActivities(ctx, "grouping", [{ id: this.data.module.id }], true);
  if (opts.parent) {
    addActivities(ctx, "parent", [{ id: opts.parent }], false);
  }
  var iri = this.data.profile;
  var categories = [{ id: iri.categories.mirco }];
  if (opts.defined) {
    categories.push({ id: iri.categories.cmi5 });
  }
  if (opts.moveon) {
    categories.push({ id: iri.categories.moveon });
  }
  addActivities(ctx, "category", categories, false);
  var ext = ctx.extensions = ctx.extensions || {};
  var own = opts.extensions || {};
  own[iri.extensions["module-version"]] = this.data.version;
  var provider = this.data.provider || {};
  if (provider.institution) {
    own[iri.extensions["provider-institution"]] = provider.institution;
  }
  if (provider.country) {
    own[iri.extensions["provider-country"]] = provider.country;
  }
  if (opts.outcomes && opts.outcomes.length) {
    own[iri.extensions.outcomes] = opts.outcomes.map(String);
  }
  Object.keys(own).forEach(function (k) {
    if (!Object.prototype.hasOwnProperty.call(ext, k)) {
      ext[k] = own[k];
    }
  });
  return ctx;
};

/** Timestamps in UTC (cmi5 9.7), strictly increasing so that their order is the events'. */
Xapi.prototype.timestamp = function (when) {
  this.last = Math.max(when || Date.now(), this.last + 1);
  return new Date(this.last).toISOString();
};

Xapi.prototype.send = function (verb, object, result, opts) {
  if (opts && opts.anonymous && this.cmi5) {
    return null; /* cmi5 wants the learner and the registration on every statement */
  }
  var s = {
    id: uuid4(), actor: opts && opts.anonymous ? this.anonymous() : this.actor,
    verb: { id: this.data.profile.verbs[verb], display: { "en-US": verb } },
    object: object, context: this.context(opts || {}), timestamp: this.timestamp()
  };
  if (result) {
    s.result = result;
  }
  this.sender.add(s);
  return s;
};

/** An anonymous evaluation's actor: an account made up for this session, linked to nothing
 * (its statements carry no registration and no cmi5 context either). */
Xapi.prototype.anonymous = function () {
  this.anon = this.anon || { objectType: "Agent",
    account: { homePage: this.data.module.id, name: uuid4() } };
  return this.anon;
};

/** A statement about the launched unit (module, or a per-lesson SCO's page). */
Xapi.prototype.about = function (verb, result, moveon) {
  var defined = !!this.cmi5 && /^(initialized|completed|passed|failed|terminated)$/.test(verb);
  if (this.cmi5 && defined && verb !== "initialized" && verb !== "terminated" &&
      this.cmi5.launchMode !== "Normal") {
    return null; /* Browse and Review: satisfaction is not recorded (cmi5 10.2.2) */
  }
  return this.send(verb, this.activity(this.unit(), this.course.module.title), result,
    { defined: defined, moveon: defined && moveon,
      extensions: defined && verb !== "completed" && moveon && this.cmi5.masteryScore !== null ?
        masteryExtension(this.data.profile, this.cmi5.masteryScore) : null });
};

function masteryExtension(iri, score) {
  var ext = {};
  ext[iri.extensions.masteryscore] = score;
  return ext;
}

function percentScore(percent, integer) {
  var raw = integer ? Math.round(percent) : Math.round(percent * 100) / 100;
  return { scaled: Math.round(percent * 100) / 10000, raw: raw, min: 0, max: 100 };
}

/* --- events --------------------------------------------------------------------------- */

Xapi.prototype.onStarted = function (detail) {
  this.about("initialized");
  if (detail.entry === "resume") {
    this.about("resumed");
  }
};

Xapi.prototype.leavePage = function (now) {
  var visit = this.visit;
  this.visit = null;
  var page = visit && this.data.pages[visit.id];
  if (!page || page.type !== this.data.profile.types.lesson) {
    return;
  }
  this.send("experienced", this.activity(page, visit.title),
    { duration: duration2004(now - visit.since) },
    { parent: this.data.module.id, outcomes: page.outcomes });
};

Xapi.prototype.onPage = function (detail) {
  var now = Date.now();
  if (this.visit && this.visit.id === detail.id) {
    return;
  }
  this.leavePage(now);
  this.visit = { id: detail.id, title: detail.title, since: now };
};

/** The xAPI interaction definition of question `q`, in the learner's language (its type
 * adds the components: choices, source and target). */
Xapi.prototype.interaction = function (q, form) {
  var stem = q.stemText();
  var self = this;
  var def = { description: this.lmsLabel(stem), interactionType: form.type,
    correctResponsesPattern: form.pattern ? [form.pattern] : [] };
  function components(ids, label) {
    return ids.map(function (id, i) {
      return { id: id2004(id, i), description: self.lmsLabel(label(id) || id) };
    });
  }
  var kind = q.kind();
  if (kind.xapi) {
    kind.xapi(q, def, components);
  }
  return { name: this.lmsLabel(stem.length > 120 ? stem.slice(0, 119) + "…" : stem), def: def };
};

Xapi.prototype.onAnswered = function (detail) {
  var q = this.player.question(detail.question);
  var page = this.data.pages[detail.page];
  if (!q || !page) {
    return;
  }
  var form = q.interaction(detail.answer, "2004");
  var info = this.interaction(q, form);
  var object = this.activity(
    { id: page.id + "/" + q.data.id, type: this.data.profile.types.interaction }, null, info.def);
  object.definition.name = info.name;
  var points = q.data.points;
  var ext = {};
  if (KINDS[detail.assessment]) {
    ext[this.data.profile.extensions.assessment] = KINDS[detail.assessment];
    ext[this.data.profile.extensions.attempt] = detail.attempt;
  }
  var result = q.data.graded === false ? /* recorded, never right or wrong */
    { response: form.text || form.response, duration: duration2004(detail.latency) } : {
      response: form.response, success: detail.correct,
      score: { raw: detail.correct ? points : 0, min: 0, max: points },
      duration: duration2004(detail.latency)
    };
  this.send("answered", object, result, { parent: page.id, extensions: ext,
    outcomes: q.data.outcomes, anonymous: this.player.secret(detail.assessment) });
};

/** A scenario played to an ending: "answered" a choice interaction, the path as response. */
Xapi.prototype.onScenario = function (d) {
  var page = this.data.pages[d.page];
  var iri = this.data.profile;
  var self = this;
  if (!page) {
    return;
  }
  var ext = {};
  ext[iri.extensions.scenario] = { endings: d.endings, best: d.best };
  var object = this.activity({ id: page.id + "/" + d.scenario, type: iri.types.interaction },
    d.title, { interactionType: "choice", extensions: ext,
      choices: d.steps.map(function (s) { return { id: s[0], description: self.lmsLabel(s[1]) }; }) });
  var result = { response: d.path.join("[,]"), completion: true,
    duration: duration2004(d.latency) };
  if (d.best.length) { /* reached the ending the author recommends (never a score) */
    result.success = d.best.indexOf(d.path[d.path.length - 1]) >= 0;
  }
  this.send("answered", object, result, { parent: page.id, outcomes: d.outcomes });
};

Xapi.prototype.onSubmitted = function (detail) {
  var kind = KINDS[detail.assessment];
  var page = this.data.pages[detail.assessment];
  if (!kind || !page) {
    return;
  }
  var test = this.player.tests[detail.assessment];
  var since = (test && test.shownAt) || this.started;
  var spent = duration2004(Date.now() - since);
  var ext = {};
  ext[this.data.profile.extensions.assessment] = kind;
  ext[this.data.profile.extensions.attempt] = detail.attempt;
  var object = this.activity(page, test ? test.data.title : "");
  var opts = { parent: this.data.module.id, extensions: ext, outcomes: page.outcomes,
    anonymous: this.player.secret(kind) };
  var score = percentScore(detail.score, false);
  if (kind !== "final") { /* the evaluation: no score */
    this.send("completed", object, kind === "pretest" ? { score: score, completion: true,
      duration: spent } : { completion: true, duration: spent }, opts);
    return;
  }
  this.send(detail.passed ? "passed" : "failed", object,
    { score: score, success: !!detail.passed, completion: true, duration: spent }, opts);
  this.judge(detail, test);
};

/** The module's passed/failed (cmi5: at most one per session, failed as late as possible). */
Xapi.prototype.judge = function (detail, test) {
  var result = { score: percentScore(detail.score, !!this.cmi5), success: !!detail.passed,
    duration: duration2004(Date.now() - this.started) };
  if (!this.cmi5) {
    this.about(detail.passed ? "passed" : "failed", result, true);
    return;
  }
  if (this.judged) {
    return;
  }
  if (detail.passed) {
    this.judged = true;
    this.about("passed", result, true);
  } else if (test && !test.attemptsLeft()) {
    this.judged = true;
    this.about("failed", result, true);
  } else {
    this.failedResult = result; /* sent at the end of the session unless passed before */
  }
};

Xapi.prototype.onCompleted = function () {
  this.about("completed", { completion: true, duration: duration2004(Date.now() - this.started) },
    true);
};

Xapi.prototype.onFinished = function (detail) {
  this.leavePage(Date.now());
  if (this.failedResult && !this.judged) {
    this.judged = true;
    this.about("failed", this.failedResult, true);
  }
  if (!detail.done) {
    this.about("suspended");
  }
  this.about("terminated", { duration: duration2004(Date.now() - this.started) });
  this.sender.last();
};

Xapi.prototype.listen = function () {
  var self = this;
  var handlers = { started: "onStarted", page: "onPage", answered: "onAnswered",
    submitted: "onSubmitted", completed: "onCompleted", finished: "onFinished",
    scenario: "onScenario" };
  Object.keys(handlers).forEach(function (name) {
    on(name, function (detail) { self[handlers[name]](detail || {}); });
  });
};

/* --- the learner ------------------------------------------------------------------------ */

var LEARNER_KEY = "mirco:learner";

/** The SCORM learner as an account on [tracking].homepage, or null when the LMS has none. */
function lmsActor(lms, homepage) {
  if (!lms || lms.version === "standalone") {
    return null;
  }
  var v12 = lms.version === "1.2";
  var id = lms.get(v12 ? "cmi.core.student_id" : "cmi.learner_id");
  if (!id) {
    return null;
  }
  var actor = { objectType: "Agent", account: { homePage: homepage, name: id } };
  var name = lms.get(v12 ? "cmi.core.student_name" : "cmi.learner_name");
  if (name) {
    actor.name = name;
  }
  return actor;
}

function learnerActor(learner) {
  return learner && learner.email ? { objectType: "Agent", name: learner.name,
    mbox: "mailto:" + learner.email } : null;
}

/** Standalone: the name and e-mail the learner gave once (the form in sco.html). */
function askLearner(sender) {
  var store = storage();
  var known = null;
  try {
    known = JSON.parse((store && store.getItem(LEARNER_KEY)) || "null");
  } catch (err) {
    known = null;
  }
  if (learnerActor(known)) {
    return learnerActor(known);
  }
  var form = $("form.mirco-learner");
  if (!form) {
    return null;
  }
  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var learner = { name: form.elements.name.value.trim(),
      email: form.elements.email.value.trim() };
    if (!learner.name || !form.elements.email.checkValidity() || !learner.email) {
      (learner.name ? form.elements.email : form.elements.name).focus();
      return;
    }
    try {
      store.setItem(LEARNER_KEY, JSON.stringify(learner));
    } catch (err) {
      warn("cannot remember the learner in this browser", err);
    }
    form.hidden = true;
    sender.setActor(learnerActor(learner));
  });
  return null;
}

/** Start sending statements for `player` (called by player.js once the LMS is known). */
function startXapi(player, course, lms, cmi5) {
  var data = course.xapi;
  var endpoint = cmi5 ? cmi5.endpoint : data.endpoint;
  if (!endpoint) {
    return null;
  }
  var sender = new Sender(endpoint, cmi5 ? cmi5.auth : data.auth);
  var actor = cmi5 ? cmi5.actor : lmsActor(lms, data.homepage) || askLearner(sender);
  var tracker = new Xapi(player, course, { sender: sender, actor: actor, cmi5: cmi5,
    registration: cmi5 ? cmi5.registration : player.state.registration });
  tracker.listen();
  window.addEventListener("pagehide", function () { sender.last(); });
  sender.flush();
  return tracker;
}
