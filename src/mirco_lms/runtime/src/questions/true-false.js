/* questions/true-false.js: true/false, two choices ("true", "false") never shuffled. */

registerQuestionType("true-false", extendType(CHOICE_TYPE, {
  scorm12: "true-false",
  scorm2004: "true-false",

  shuffle: function () {},

  interaction: function (q, answer, f) {
    var correct = q.data.correct[0];
    return {
      response: answer ? (f.v12 ? (answer === "0" ? "t" : "f") :
        (answer === "0" ? "true" : "false")) : "",
      pattern: f.v12 ? correct.charAt(0) : correct
    };
  },

  xapi: function () {}
}));
