/*
 * questions/choice.js: single choice ("choice"); also the base of multiple choice and
 * true/false. The answer is the chosen options' indices in base 36, sorted ("0", "02").
 */

var CHOICE_TYPE = registerQuestionType("choice", {
  scorm12: "choice",
  scorm2004: "choice",

  read: function (q) {
    var ids = q.choiceIds();
    return $$("input[data-choice]", q.node).filter(function (i) { return i.checked; })
      .map(function (i) { return INDEX.charAt(ids.indexOf(i.value)); }).sort().join("");
  },

  write: function (q, answer) {
    var ids = q.choiceIds();
    $$("input[data-choice]", q.node).forEach(function (i) {
      i.checked = answer.indexOf(INDEX.charAt(ids.indexOf(i.value))) >= 0;
    });
  },

  shuffle: function (q, random) {
    var list = $(".mirco-options", q.node);
    if (q.data.shuffle && list) {
      shuffled($$(".mirco-option", list), random).forEach(function (li) { list.appendChild(li); });
    }
  },

  score: function (q, answer, out) {
    var d = q.data;
    var ids = q.choiceIds();
    var key = d.correct.map(function (id) { return INDEX.charAt(ids.indexOf(id)); }).sort().join("");
    out.correct = answer === key;
    var hits = answer.split("").filter(function (c) { return key.indexOf(c) >= 0; }).length;
    out.partial = !out.correct && !!this.partialCredit && hits > 0;
    answer.split("").forEach(function (c) {
      var choice = d.choices[INDEX.indexOf(c)];
      if (choice && choice.feedback) {
        out.feedback.push(choice.feedback);
      }
    });
  },

  correctText: function (q) {
    return q.data.correct.map(function (id) {
      var label = choiceLabel(q, id);
      return label === null ? id : label;
    }).join("; ");
  },

  interaction: function (q, answer, f) {
    var ids = q.choiceIds();
    return {
      response: f.indices.map(function (i) { return f.ident(ids[i], i); }).join(f.sep),
      pattern: q.data.correct.map(function (id) { return f.ident(id, ids.indexOf(id)); })
        .join(f.sep)
    };
  },

  xapi: function (q, def, components) {
    def.choices = components(q.choiceIds(), function (id) { return choiceLabel(q, id) || ""; });
  }
});
