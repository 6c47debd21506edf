/*
 * quiz.js: the questions — reading and restoring answers, scoring, feedback, shuffling,
 * and the SCORM interaction description of an answer (both versions' vocabularies); what
 * depends on the question's type is its module's (questions.js, questions/<type>.js).
 *
 * Answers are short strings (see state.js): choice indices in base 36 ("0", "02"),
 * texts as typed, matching as one target index per source ("-" for none), ordering as
 * the item indices in the learner's order.
 */

var INDEX = "0123456789abcdefghijklmnopqrstuvwxyz";

function Question(data, node) {
  this.data = data;
  this.node = node;
  this.shownAt = Date.now();
  this.answeredAt = 0;
}

Question.prototype.choiceIds = function () {
  return (this.data.choices || []).map(function (c) { return c.id; });
};

Question.prototype.inputs = function () {
  return $$("input:not([data-self]), select, textarea, [data-order] button", this.node);
};

/** The question's type (questions.js). */
Question.prototype.kind = function () {
  return questionType(this.data.type);
};

/** The learner's current answer ("" when unanswered). */
Question.prototype.read = function () {
  return this.kind().read(this);
};

/** Show `answer` (as read() returns it) in the form. */
Question.prototype.write = function (answer) {
  this.kind().write(this, answer || "");
};

/** Reorder what the learner sees (options, targets, items) with `random`. */
Question.prototype.shuffle = function (random) {
  var kind = this.kind();
  if (kind.shuffle) {
    kind.shuffle(this, random);
  }
};

/**
 * Score `answer`: {answered, correct, partial, feedback: [html…], invalid, ungraded}.
 * Points are all-or-nothing; "partial" only chooses the feedback wording.
 */
Question.prototype.score = function (answer) {
  var d = this.data;
  var out = { answered: answer !== "", correct: false, partial: false, feedback: [] };
  if (!out.answered) {
    return out;
  }
  this.kind().score(this, answer, out);
  if (d.graded === false) { /* recorded, never right or wrong */
    out.correct = out.partial = out.invalid = false;
    out.ungraded = true;
  }
  if (d.feedback) {
    out.feedback.push(d.feedback);
  }
  return out;
};

/** The correct answer, as text for the learner (review after submission). */
Question.prototype.correctText = function () {
  return this.kind().correctText(this);
};

/** Show the verdict and feedback of `result`; `review` adds the correct answer. */
Question.prototype.showFeedback = function (result, review) {
  var box = $(".mirco-feedback", this.node);
  if (!box) {
    return;
  }
  var verdict = !result.answered ? t("notAnswered") : result.invalid ? t("numberExpected") :
    result.correct ? t("correct") : result.partial ? t("partlyCorrect") : t("incorrect");
  var cls = result.correct ? "mirco-ok" : "mirco-bad";
  var html = "<p class=\"mirco-verdict " + cls + "\"><strong></strong></p>";
  if (result.ungraded) { /* no verdict and no correct answer: only the feedback */
    box.innerHTML = result.feedback.join("");
    box.hidden = !result.feedback.length;
    this.node.classList.remove("mirco-is-correct", "mirco-is-wrong");
    return;
  }
  box.innerHTML = html + result.feedback.join("");
  box.firstChild.firstChild.textContent = verdict;
  if (review && !result.correct) {
    var p = document.createElement("p");
    p.className = "mirco-key";
    p.textContent = t("correctAnswer", { answer: this.correctText() });
    box.appendChild(p);
  }
  box.hidden = false;
  this.node.classList.toggle("mirco-is-correct", !!result.correct);
  this.node.classList.toggle("mirco-is-wrong", !result.correct);
};

Question.prototype.clearFeedback = function () {
  var box = $(".mirco-feedback", this.node);
  if (box) {
    box.hidden = true;
    box.innerHTML = "";
  }
  this.node.classList.remove("mirco-is-correct", "mirco-is-wrong");
};

Question.prototype.lock = function (locked) {
  this.inputs().forEach(function (el) { el.disabled = locked; });
};

/* --- interactions: the answer in each SCORM version's vocabulary --------------------- */

/** A SCORM 1.2 single-character identifier for option `id` at `index`. */
function char12(id, index) {
  return /^[0-9a-z]$/.test(id) ? id : INDEX.charAt(index % 36);
}

/** A SCORM 2004 short identifier for option `id` at `index`. */
function id2004(id, index) {
  return /^[\w.-]{1,250}$/.test(id) ? id : "i" + index;
}

function cleanText(text, max) {
  return String(text).replace(/\[[,.:]\]/g, " ").replace(/^\{/, "(").slice(0, max);
}

/**
 * {type, response, pattern} of `answer` for SCORM `version` ("1.2" or "2004"):
 * learner response and correct-response pattern in that version's format (the type's
 * interaction() fills them in with the separators and identifiers given here).
 */
Question.prototype.interaction = function (answer, version) {
  var kind = this.kind();
  var v12 = version === "1.2";
  var form = {
    v12: v12, sep: v12 ? "," : "[,]", dot: v12 ? "." : "[.]", ident: v12 ? char12 : id2004,
    indices: answer.split("").map(function (c) { return INDEX.indexOf(c); })
  };
  var found = kind.interaction(this, answer, form);
  return { type: v12 ? kind.scorm12 : kind.scorm2004, response: found.response,
    pattern: found.pattern, text: found.text };
};

/** The stem as plain text (interaction description), without the "Question n" number. */
Question.prototype.stemText = function () {
  var stem = $(".mirco-stem", this.node);
  return stem ? stem.textContent.replace(/\s+/g, " ").trim() : "";
};
