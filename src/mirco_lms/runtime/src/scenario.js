/*
 * scenario.js: branching scenarios (mirco_lms/scenarios) — one node at a time; a choice
 * shows the node it leads to and moves the focus to its heading; an ending shows the
 * path taken and "Start again". The path is kept in the state (node indexes) and, at an
 * ending, reported: a SCORM "choice" interaction (never scored) and the "scenario" event
 * (xapi.js sends it as an "answered" statement). Without JavaScript every node shows.
 */

function scenarios(player) {
  $$("[data-scenario]").forEach(function (box) {
    var id = box.getAttribute("data-scenario");
    var nodes = $$("[data-node]", box);
    var names = nodes.map(function (n) { return n.getAttribute("data-node"); });
    var saved = player.state.scenarios[id];
    var path = saved ? saved.split(".").map(function (i) { return parseInt(i, 36); }) : [0];
    var since = Date.now();
    if (!path.every(function (i) { return nodes[i]; })) {
      path = [0];
    }
    function title(i) {
      return $("[tabindex]", nodes[i]).textContent.trim();
    }
    function show(focus) {
      var at = nodes[path[path.length - 1]];
      nodes.forEach(function (n) { n.hidden = n !== at; });
      var list = $(".mirco-path", at);
      if (list) {
        list.parentNode.hidden = false;
        list.textContent = "";
        path.slice(1).forEach(function (i, k) {
          list.appendChild(document.createElement("li")).textContent =
            $("[data-go=\"" + names[i] + "\"]", nodes[path[k]]).textContent;
        });
      }
      player.state.scenarios[id] = path.map(function (i) { return i.toString(36); }).join(".");
      if (focus) {
        $("[tabindex]", at).focus();
        player.save();
      }
    }
    function ended() {
      var now = Date.now();
      var ids = path.slice(1).map(function (i) { return names[i]; });
      var page = box.closest("[data-page]");
      var detail = { scenario: id, title: box.getAttribute("aria-label") || title(0),
        path: ids, page: page ? page.getAttribute("data-page") : "",
        outcomes: box.getAttribute("data-outcomes").split(" "),
        steps: names.map(function (n, i) { return [n, title(i)]; }),
        endings: names.filter(function (n, i) { return nodes[i].hasAttribute("data-ending"); }),
        best: names.filter(function (n, i) { return nodes[i].hasAttribute("data-best"); }),
        latency: now - since, time: now };
      emit("scenario", detail);
      if (player.tracker) {
        player.tracker.interaction({ id: "scenario." + id, answer: "", correct: false,
          latency: detail.latency, time: now, question: {
            data: { outcomes: detail.outcomes, points: 1, graded: false },
            stemText: function () { return detail.title; },
            interaction: function (answer, version) {
              return { type: "choice", response: version === "1.2" ?
                path.slice(1).map(function (i) { return INDEX.charAt(i); }).join(",") :
                ids.join("[,]") };
            } } });
      }
    }
    box.addEventListener("click", function (event) {
      var link = event.target.closest("[data-go], [data-action=replay]");
      if (!link) {
        return;
      }
      event.preventDefault();
      var to = names.indexOf(link.getAttribute("data-go"));
      path = to > 0 ? path.concat([to]) : [0];
      since = to > 0 ? since : Date.now();
      if (to > 0 && nodes[to].hasAttribute("data-ending")) {
        ended();
      }
      show(true);
    });
    show(false);
  });
}
