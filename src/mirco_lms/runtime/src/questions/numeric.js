/* questions/numeric.js: a typed number, right when it falls in one of the accepted ranges. */

function parseNumber(text) {
  var cleaned = String(text).replace(/[\s\u00a0\u202f']/g, "").replace(",", ".")
    .replace(/^\u2212/, "-");
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned) ? Number(cleaned) : NaN;
}

registerQuestionType("numeric", extendType(TYPED_ANSWER, {
  scorm12: "numeric",
  scorm2004: "numeric",

  score: function (q, answer, out) {
    var value = parseNumber(answer);
    out.invalid = isNaN(value);
    (q.data.answers || []).forEach(function (a) {
      var eps = 1e-9 * Math.max(1, Math.abs(a.low), Math.abs(a.high));
      if (!out.correct && value >= a.low - eps && value <= a.high + eps) {
        out.correct = true;
        out.feedback.push(a.feedback);
      }
    });
  },

  correctText: function (q) {
    return q.data.answers.map(function (a) {
      return a.low === a.high ? String(a.low) : a.low + " – " + a.high;
    }).join("; ");
  },

  interaction: function (q, answer, f) {
    var value = parseNumber(answer);
    var range = q.data.answers[0];
    return {
      response: isNaN(value) ? "" : String(value),
      pattern: !range ? "" : f.v12 ? (range.low === range.high ? String(range.low) : "") :
        range.low + "[:]" + range.high
    };
  }
}));
