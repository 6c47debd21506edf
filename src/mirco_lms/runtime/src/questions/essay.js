/*
 * questions/essay.js: free text, recorded, never scored. Once answered, the model answer
 * shows and the learner rates how much of it they covered: a likert question of its own
 * ("<id>-self"), journalled when chosen. SCORM keeps the text without line breaks (2004:
 * up to 4,000 characters; 1.2: 255); xAPI keeps it whole.
 */

registerQuestionType("essay", extendType(TYPED_ANSWER, {
  scorm12: "fill-in",
  scorm2004: "long-fill-in",

  score: function (q) {
    var self = $(".mirco-self", q.node);
    if (self) {
      self.hidden = false;
    }
  },

  correctText: function () { return ""; },

  interaction: function (q, answer, f) {
    return { response: cleanText(answer.replace(/\s+/g, " "), f.v12 ? 255 : 4000), pattern: "",
      text: answer };
  }
}));

document.addEventListener("input", function (event) {
  var box = event.target;
  var count = box.maxLength > 0 && $("[data-count]", box.closest(".mirco-answer"));
  if (count) {
    count.textContent = box.value.length + "/" + box.maxLength;
  }
});

/** The self-rating `box` ([data-rate]) as a likert question of the player's (made once). */
function selfRating(player, box) {
  var id = box.getAttribute("data-rate");
  var of = player.question(id.replace(/-self$/, ""));
  return player.questions[id] = player.questions[id] || new Question({ id: id, type: "likert",
    graded: false, points: 0, outcomes: of ? of.data.outcomes : [],
    choices: $$("input", box).map(function (i) { return { id: i.value }; }) }, box);
}

document.addEventListener("change", function (event) {
  var box = event.target.closest("[data-rate]");
  var player = window.mirco && window.mirco.player;
  if (!box || !player) {
    return;
  }
  var q = selfRating(player, box);
  var form = box.closest("[data-assessment]");
  var kind = form ? form.getAttribute("data-assessment") : "check";
  var test = player.tests[kind];
  player.answered(kind, q, q.read(), {}, Date.now(), test ? test.attempt().used : 0);
  player.state.checks[q.data.id] = q.read(); /* kept with the checks: shown again on resume */
  player.save();
});

/* A resumed course shows the self-ratings given before (the essay itself comes back with
   its check or its test's answers, which show the rating's fieldset). */
on("started", function () {
  var player = window.mirco.player;
  Object.keys(player.state.checks).forEach(function (id) {
    var box = /-self$/.test(id) && $("[data-rate=\"" + id + "\"]");
    if (box) {
      selfRating(player, box).write(player.state.checks[id]);
    }
  });
});
