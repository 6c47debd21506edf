/* yes-no.js: the runtime module of the yes/no question type of tests/questions/yes_no.py. */

registerQuestionType("yes-no", {
  scorm12: "true-false",
  scorm2004: "true-false",

  read: function (q) {
    var picked = $$("input[data-choice]", q.node).filter(function (i) { return i.checked; });
    return picked.length ? picked[0].value : "";
  },

  write: function (q, answer) {
    $$("input[data-choice]", q.node).forEach(function (i) { i.checked = i.value === answer; });
  },

  score: function (q, answer, out) {
    out.correct = answer === q.data.correct[0];
    if (q.data.explanation) {
      out.feedback.push(q.data.explanation);
    }
  },

  correctText: function (q) {
    return choiceLabel(q, q.data.correct[0]) || q.data.correct[0];
  },

  interaction: function (q, answer, f) {
    function word(value) {
      return f.v12 ? (value === "yes" ? "t" : "f") : (value === "yes" ? "true" : "false");
    }
    return { response: answer ? word(answer) : "", pattern: word(q.data.correct[0]) };
  }
});
