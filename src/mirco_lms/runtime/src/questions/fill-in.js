/* questions/fill-in.js: a typed answer, right when it is one of the accepted answers. */

function normalizeText(text, caseSensitive) {
  var out = String(text).replace(/\s+/g, " ").trim();
  if (out.normalize) {
    out = out.normalize("NFC");
  }
  return caseSensitive ? out : out.toLowerCase();
}

/** Read and write the one text input of a fill-in or numeric question. */
var TYPED_ANSWER = {
  read: function (q) {
    var input = $("[data-answer]", q.node);
    return input ? input.value.trim() : "";
  },

  write: function (q, answer) {
    var input = $("[data-answer]", q.node);
    if (input) {
      input.value = answer;
    }
  }
};

registerQuestionType("fill-in", extendType(TYPED_ANSWER, {
  scorm12: "fill-in",
  scorm2004: "fill-in",

  score: function (q, answer, out) {
    var d = q.data;
    var given = normalizeText(answer, d.caseSensitive);
    (d.answers || []).forEach(function (a) {
      if (!out.correct && normalizeText(a.text, d.caseSensitive) === given) {
        out.correct = true;
        out.feedback.push(a.feedback);
      }
    });
  },

  correctText: function (q) {
    return q.data.answers.length ? q.data.answers[0].text : "";
  },

  interaction: function (q, answer, f) {
    var d = q.data;
    var first = d.answers.length ? d.answers[0].text : "";
    return {
      response: cleanText(answer, f.v12 ? 255 : 250),
      pattern: f.v12 ? cleanText(first, 255) :
        "{case_matters=" + (d.caseSensitive ? "true" : "false") + "}" + cleanText(first, 250)
    };
  }
}));
