/*
 * questions.js: the question types by name. Each type is one module (questions/<type>.js,
 * named as the Python type in mirco_lms/questions/) that registers an object with:
 *
 *   read(q) → answer            the learner's answer as a short string ("" unanswered)
 *   write(q, answer)            show an answer read() gave in the form
 *   shuffle(q, random)          optional: reorder what the learner sees
 *   score(q, answer, out)       set out.correct, out.partial, out.invalid, out.feedback
 *   correctText(q) → text       the correct answer, for the review
 *   scorm12, scorm2004          the interaction type in each SCORM version
 *   interaction(q, answer, f)   {response, pattern} in the vocabulary f describes
 *   xapi(q, def, components)    optional: add choices / source / target to an xAPI
 *                               interaction definition
 *
 * `q` is the Question (quiz.js): q.data is the type's course data, q.node its fieldset.
 */

var QUESTION_TYPES = {};

/** Register `type` under `name` (the `type` of the questions' course data). */
function registerQuestionType(name, type) {
  QUESTION_TYPES[name] = type;
  return type;
}

/** The type registered as `name`; an unknown type reads no answer and scores nothing. */
function questionType(name) {
  return Object.prototype.hasOwnProperty.call(QUESTION_TYPES, name) ? QUESTION_TYPES[name] :
    UNKNOWN_TYPE;
}

/** A new type: `own`'s members over those of `base`. */
function extendType(base, own) {
  var out = {};
  Object.keys(base).forEach(function (k) { out[k] = base[k]; });
  Object.keys(own).forEach(function (k) { out[k] = own[k]; });
  return out;
}

var UNKNOWN_TYPE = {
  read: function () { return ""; },
  write: function () {},
  score: function () {},
  correctText: function () { return ""; },
  interaction: function () { return { response: "", pattern: "" }; }
};

/** The text of `node`, whitespace collapsed ("" without a node). */
function nodeText(node) {
  return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
}

/** Score an answer of one index per position: right when every position is, partly
 * when some are. */
function scorePositions(answer, expected, out) {
  var right = 0;
  for (var i = 0; i < expected.length; i += 1) {
    right += answer.charAt(i) === expected.charAt(i) ? 1 : 0;
  }
  out.correct = answer === expected;
  out.partial = !out.correct && right > 0;
}

/** The label of the input of choice `id` in question `q` (null without that input). */
function choiceLabel(q, id) {
  var input = $("input[data-choice=\"" + id + "\"]", q.node);
  return input ? nodeText($("label[for=\"" + input.id + "\"]", q.node)) : null;
}
