/*
 * questions/matching.js: a select of targets per source. The answer is one target index
 * per source in base 36, "-" for none.
 */

/** The select of source `id` in question `q`. */
function matchingSelect(q, id) {
  return $("select[data-source=\"" + id + "\"]", q.node);
}

/** The label of source `id`. */
function matchingSourceLabel(q, id) {
  var select = matchingSelect(q, id);
  return select ? nodeText($("label[for=\"" + select.id + "\"]", q.node)) : "";
}

/** The text of target `id` (the same option in every select). */
function matchingTargetLabel(q, id) {
  return nodeText($("select[data-source] option[value=\"" + id + "\"]", q.node));
}

registerQuestionType("matching", {
  scorm12: "matching",
  scorm2004: "matching",

  read: function (q) {
    var sources = q.data.sources;
    var picked = sources.map(function (src) {
      var select = matchingSelect(q, src);
      var index = select ? sources.indexOf(select.value) : -1;
      return index < 0 ? "-" : INDEX.charAt(index);
    }).join("");
    return /^-*$/.test(picked) ? "" : picked;
  },

  write: function (q, answer) {
    var sources = q.data.sources;
    sources.forEach(function (src, i) {
      var select = matchingSelect(q, src);
      var index = answer.charAt(i) ? INDEX.indexOf(answer.charAt(i)) : -1;
      if (select) {
        select.value = index >= 0 && index < sources.length ? sources[index] : "";
      }
    });
  },

  shuffle: function (q, random) {
    if (!q.data.shuffle) {
      return;
    }
    $$("select[data-source]", q.node).forEach(function (select) {
      var options = $$("option", select).filter(function (o) { return o.value; });
      shuffled(options, prng(hashString(select.id) ^ Math.floor(random() * 4294967296)))
        .forEach(function (o) { select.appendChild(o); });
    });
  },

  score: function (q, answer, out) {
    var d = q.data;
    scorePositions(answer, d.sources.map(function (s, i) {
      return INDEX.charAt(d.sources.indexOf(d.correct[i][1]));
    }).join(""), out);
  },

  correctText: function (q) {
    return q.data.correct.map(function (pair) {
      return matchingSourceLabel(q, pair[0]) + " → " + matchingTargetLabel(q, pair[1]);
    }).join("; ");
  },

  interaction: function (q, answer, f) {
    var sources = q.data.sources;
    function ident(id) {
      return f.ident(id, sources.indexOf(id));
    }
    return {
      response: f.indices.map(function (target, i) {
        return target < 0 ? "" : f.ident(sources[i], i) + f.dot + f.ident(sources[target], target);
      }).filter(Boolean).join(f.sep),
      pattern: q.data.correct.map(function (pair) {
        return ident(pair[0]) + f.dot + ident(pair[1]);
      }).join(f.sep)
    };
  },

  xapi: function (q, def, components) {
    def.source = components(q.data.sources, function (id) { return matchingSourceLabel(q, id); });
    def.target = components(q.data.sources, function (id) { return matchingTargetLabel(q, id); });
  }
});
