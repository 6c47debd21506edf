/*
 * quiz.js: the questions — reading and restoring answers, scoring, feedback, shuffling,
 * and the SCORM interaction description of an answer (both versions' vocabularies).
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
  return $$("input, select, button[data-move]", this.node);
};

/** The learner's current answer ("" when unanswered). */
Question.prototype.read = function () {
  var type = this.data.type;
  var node = this.node;
  if (type === "fill-in" || type === "numeric") {
    var input = $("[data-answer]", node);
    return input ? input.value.trim() : "";
  }
  if (type === "matching") {
    var sources = this.data.sources;
    var picked = sources.map(function (src) {
      var select = $("select[data-source=\"" + src + "\"]", node);
      var index = select ? sources.indexOf(select.value) : -1;
      return index < 0 ? "-" : INDEX.charAt(index);
    }).join("");
    return /^-*$/.test(picked) ? "" : picked;
  }
  if (type === "sequencing") {
    var order = this.data.correct;
    return $$("[data-item]", node).map(function (li) {
      return INDEX.charAt(order.indexOf(li.getAttribute("data-item")));
    }).join("");
  }
  var ids = this.choiceIds();
  return $$("input[data-choice]", node).filter(function (i) { return i.checked; })
    .map(function (i) { return INDEX.charAt(ids.indexOf(i.value)); }).sort().join("");
};

/** Show `answer` (as read() returns it) in the form. */
Question.prototype.write = function (answer) {
  var type = this.data.type;
  var node = this.node;
  answer = answer || "";
  if (type === "fill-in" || type === "numeric") {
    var input = $("[data-answer]", node);
    if (input) {
      input.value = answer;
    }
  } else if (type === "matching") {
    var sources = this.data.sources;
    sources.forEach(function (src, i) {
      var select = $("select[data-source=\"" + src + "\"]", node);
      var index = answer.charAt(i) ? INDEX.indexOf(answer.charAt(i)) : -1;
      if (select) {
        select.value = index >= 0 && index < sources.length ? sources[index] : "";
      }
    });
  } else if (type === "sequencing") {
    if (answer) {
      this.arrange(answer.split("").map(function (c) { return INDEX.indexOf(c); }));
    }
  } else {
    var ids = this.choiceIds();
    $$("input[data-choice]", node).forEach(function (i) {
      i.checked = answer.indexOf(INDEX.charAt(ids.indexOf(i.value))) >= 0;
    });
  }
};

/** Sequencing: put the items in the order of `indices` (into the correct order). */
Question.prototype.arrange = function (indices) {
  var list = $("[data-order]", this.node);
  var correct = this.data.correct;
  if (!list) {
    return;
  }
  indices.forEach(function (i) {
    var li = $("[data-item=\"" + correct[i] + "\"]", list);
    if (li) {
      list.appendChild(li);
    }
  });
};

/** Reorder options (choice), targets (matching) and items (ordering) with `random`. */
Question.prototype.shuffle = function (random) {
  var type = this.data.type;
  if (type === "sequencing") {
    var n = this.data.correct.length;
    var order = [];
    for (var i = 0; i < n; i += 1) {
      order.push(i);
    }
    var mixed = shuffled(order, random);
    if (n > 1 && mixed.join() === order.join()) {
      mixed.push(mixed.shift());
    }
    this.arrange(mixed);
    return;
  }
  if (!this.data.shuffle || type === "true-false") {
    return;
  }
  if (type === "matching") {
    $$("select[data-source]", this.node).forEach(function (select) {
      var options = $$("option", select).filter(function (o) { return o.value; });
      shuffled(options, prng(hashString(select.id) ^ Math.floor(random() * 4294967296)))
        .forEach(function (o) { select.appendChild(o); });
    });
    return;
  }
  var list = $(".mirco-options", this.node);
  if (list) {
    shuffled($$(".mirco-option", list), random).forEach(function (li) { list.appendChild(li); });
  }
};

function normalizeText(text, caseSensitive) {
  var out = String(text).replace(/\s+/g, " ").trim();
  if (out.normalize) {
    out = out.normalize("NFC");
  }
  return caseSensitive ? out : out.toLowerCase();
}

function parseNumber(text) {
  var cleaned = String(text).replace(/[\s\u00a0\u202f']/g, "").replace(",", ".")
    .replace(/^\u2212/, "-");
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned) ? Number(cleaned) : NaN;
}

/**
 * Score `answer`: {answered, correct, partial, feedback: [html…], invalid}.
 * Points are all-or-nothing; "partial" only chooses the feedback wording.
 */
Question.prototype.score = function (answer) {
  var d = this.data;
  var out = { answered: answer !== "", correct: false, partial: false, feedback: [] };
  if (!out.answered) {
    return out;
  }
  if (d.type === "fill-in") {
    var given = normalizeText(answer, d.caseSensitive);
    (d.answers || []).forEach(function (a) {
      if (!out.correct && normalizeText(a.text, d.caseSensitive) === given) {
        out.correct = true;
        out.feedback.push(a.feedback);
      }
    });
  } else if (d.type === "numeric") {
    var value = parseNumber(answer);
    out.invalid = isNaN(value);
    (d.answers || []).forEach(function (a) {
      var eps = 1e-9 * Math.max(1, Math.abs(a.low), Math.abs(a.high));
      if (!out.correct && value >= a.low - eps && value <= a.high + eps) {
        out.correct = true;
        out.feedback.push(a.feedback);
      }
    });
  } else if (d.type === "matching" || d.type === "sequencing") {
    var expected = d.type === "matching" ? d.sources.map(function (s, i) {
      return INDEX.charAt(d.sources.indexOf(d.correct[i][1]));
    }).join("") : d.correct.map(function (s, i) { return INDEX.charAt(i); }).join("");
    var right = 0;
    for (var i = 0; i < expected.length; i += 1) {
      right += answer.charAt(i) === expected.charAt(i) ? 1 : 0;
    }
    out.correct = answer === expected;
    out.partial = !out.correct && right > 0;
  } else {
    var ids = this.choiceIds();
    var key = d.correct.map(function (id) { return INDEX.charAt(ids.indexOf(id)); }).sort().join("");
    out.correct = answer === key;
    var hits = answer.split("").filter(function (c) { return key.indexOf(c) >= 0; }).length;
    out.partial = !out.correct && d.type === "multiple-choice" && hits > 0;
    answer.split("").forEach(function (c) {
      var choice = d.choices[INDEX.indexOf(c)];
      if (choice && choice.feedback) {
        out.feedback.push(choice.feedback);
      }
    });
  }
  if (d.feedback) {
    out.feedback.push(d.feedback);
  }
  return out;
};

/** The correct answer, as text for the learner (review after submission). */
Question.prototype.correctText = function () {
  var d = this.data;
  var node = this.node;
  function text(el) {
    return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
  }
  if (d.type === "fill-in") {
    return d.answers.length ? d.answers[0].text : "";
  }
  if (d.type === "numeric") {
    return d.answers.map(function (a) {
      return a.low === a.high ? String(a.low) : a.low + " – " + a.high;
    }).join("; ");
  }
  if (d.type === "matching") {
    return d.correct.map(function (pair) {
      var select = $("select[data-source=\"" + pair[0] + "\"]", node);
      var label = select ? $("label[for=\"" + select.id + "\"]", node) : null;
      var option = select ? $("option[value=\"" + pair[1] + "\"]", select) : null;
      return text(label) + " → " + text(option);
    }).join("; ");
  }
  if (d.type === "sequencing") {
    return d.correct.map(function (id) {
      return text($("[data-item=\"" + id + "\"] .mirco-item-text", node));
    }).join(" → ");
  }
  return d.correct.map(function (id) {
    var input = $("input[data-choice=\"" + id + "\"]", node);
    return input ? text($("label[for=\"" + input.id + "\"]", node)) : id;
  }).join("; ");
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

var TYPES = {
  "choice": "choice", "multiple-choice": "choice", "true-false": "true-false",
  "fill-in": "fill-in", "numeric": "numeric", "matching": "matching",
  "sequencing": "sequencing"
};

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
 * learner response and correct-response pattern in that version's format.
 */
Question.prototype.interaction = function (answer, version) {
  var d = this.data;
  var v12 = version === "1.2";
  var sep = v12 ? "," : "[,]";
  var dot = v12 ? "." : "[.]";
  var ident = v12 ? char12 : id2004;
  var type = TYPES[d.type];
  var indices = answer.split("").map(function (c) { return INDEX.indexOf(c); });
  var out = { type: type, response: "", pattern: "" };
  if (d.type === "true-false") {
    out.response = answer ? (v12 ? (answer === "0" ? "t" : "f") : (answer === "0" ? "true" : "false")) : "";
    out.pattern = v12 ? d.correct[0].charAt(0) : d.correct[0];
  } else if (d.type === "choice" || d.type === "multiple-choice") {
    var ids = this.choiceIds();
    out.response = indices.map(function (i) { return ident(ids[i], i); }).join(sep);
    out.pattern = d.correct.map(function (id) { return ident(id, ids.indexOf(id)); }).join(sep);
  } else if (d.type === "fill-in") {
    out.response = cleanText(answer, v12 ? 255 : 250);
    var first = d.answers.length ? d.answers[0].text : "";
    out.pattern = v12 ? cleanText(first, 255) :
      "{case_matters=" + (d.caseSensitive ? "true" : "false") + "}" + cleanText(first, 250);
  } else if (d.type === "numeric") {
    var value = parseNumber(answer);
    out.response = isNaN(value) ? "" : String(value);
    var range = d.answers[0];
    out.pattern = !range ? "" : v12 ? (range.low === range.high ? String(range.low) : "") :
      range.low + "[:]" + range.high;
  } else if (d.type === "matching") {
    var sources = d.sources;
    out.response = indices.map(function (target, i) {
      return target < 0 ? "" : ident(sources[i], i) + dot + ident(sources[target], target);
    }).filter(Boolean).join(sep);
    out.pattern = d.correct.map(function (pair) {
      return ident(pair[0], sources.indexOf(pair[0])) + dot + ident(pair[1], sources.indexOf(pair[1]));
    }).join(sep);
  } else if (d.type === "sequencing") {
    var items = d.correct;
    out.response = indices.map(function (i) { return ident(items[i], i); }).join(sep);
    out.pattern = items.map(function (id, i) { return ident(id, i); }).join(sep);
  }
  return out;
};

/** The stem as plain text (interaction description), without the "Question n" number. */
Question.prototype.stemText = function () {
  var stem = $(".mirco-stem", this.node);
  return stem ? stem.textContent.replace(/\s+/g, " ").trim() : "";
};
