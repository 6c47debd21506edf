/* questions/likert.js: a rating on a scale (the choices, in order); recorded, never scored. */

registerQuestionType("likert", extendType(CHOICE_TYPE, {
  scorm12: "likert",
  scorm2004: "likert",
  score: function () {},
  correctText: function () { return ""; },

  interaction: function (q, answer, f) {
    var i = f.indices[0];
    return { response: answer ? f.ident(q.choiceIds()[i], i) : "", pattern: "" };
  },

  xapi: function (q, def, components) {
    def.scale = components(q.choiceIds(), function (id) { return choiceLabel(q, id); });
  }
}));
