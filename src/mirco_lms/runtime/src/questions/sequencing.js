/*
 * questions/sequencing.js: ordering; items moved up and down. The answer is the items'
 * indices (in the correct order) in base 36, in the learner's order.
 */

/** Put the items of `q` in the order of `indices` (into the correct order). */
function arrangeItems(q, indices) {
  var list = $("[data-order]", q.node);
  var correct = q.data.correct;
  if (!list) {
    return;
  }
  indices.forEach(function (i) {
    var li = $("[data-item=\"" + correct[i] + "\"]", list);
    if (li) {
      list.appendChild(li);
    }
  });
}

function sequencingLabel(q, id) {
  return nodeText($("[data-item=\"" + id + "\"] .mirco-item-text", q.node));
}

registerQuestionType("sequencing", {
  scorm12: "sequencing",
  scorm2004: "sequencing",

  read: function (q) {
    var order = q.data.correct;
    return $$("[data-item]", q.node).map(function (li) {
      return INDEX.charAt(order.indexOf(li.getAttribute("data-item")));
    }).join("");
  },

  write: function (q, answer) {
    if (answer) {
      arrangeItems(q, answer.split("").map(function (c) { return INDEX.indexOf(c); }));
    }
  },

  /** Always shuffled, never into the correct order (when there is more than one item). */
  shuffle: function (q, random) {
    var n = q.data.correct.length;
    var order = [];
    for (var i = 0; i < n; i += 1) {
      order.push(i);
    }
    var mixed = shuffled(order, random);
    if (n > 1 && mixed.join() === order.join()) {
      mixed.push(mixed.shift());
    }
    arrangeItems(q, mixed);
  },

  score: function (q, answer, out) {
    scorePositions(answer, q.data.correct.map(function (s, i) {
      return INDEX.charAt(i);
    }).join(""), out);
  },

  correctText: function (q) {
    return q.data.correct.map(function (id) { return sequencingLabel(q, id); }).join(" → ");
  },

  interaction: function (q, answer, f) {
    var items = q.data.correct;
    return {
      response: f.indices.map(function (i) { return f.ident(items[i], i); }).join(f.sep),
      pattern: items.map(function (id, i) { return f.ident(id, i); }).join(f.sep)
    };
  },

  xapi: function (q, def, components) {
    def.choices = components(q.data.correct, function (id) { return sequencingLabel(q, id); });
  }
});
