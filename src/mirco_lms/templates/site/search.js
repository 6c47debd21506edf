/* The e-library's search: reads window.MIRCO_SEARCH (search-index.js, made by
   `mirco build --format site`) and the query in the address (?q=…); works from
   file:// and offline. Words are folded with the index's own table. */
(function () {
  "use strict";
  var data = window.MIRCO_SEARCH;
  var form = document.getElementById("search-page-form");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!data || !list || !status) { return; }

  function fold(text) {
    var bare = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
    var out = "";
    for (var i = 0; i < bare.length; i++) {
      var ch = bare[i];
      out += Object.prototype.hasOwnProperty.call(data.fold, ch) ? data.fold[ch] : ch;
    }
    return out;
  }

  function words(text) {
    return (fold(text).match(/[\p{L}\p{N}]+/gu) || []).filter(function (w) {
      return w.length >= 2;
    });
  }

  var terms = Object.keys(data.terms);

  function matches(word) {  // page number → count, for every term starting with word
    var found = {};
    terms.forEach(function (term) {
      if (term.indexOf(word) === 0) {
        data.terms[term].forEach(function (pair) {
          found[pair[0]] = (found[pair[0]] || 0) + pair[1] * (term === word ? 2 : 1);
        });
      }
    });
    return found;
  }

  function search(query) {
    var asked = words(query);
    if (!asked.length) { return []; }
    var scores = null;
    asked.forEach(function (word) {
      var found = matches(word);
      if (scores === null) { scores = found; return; }
      var both = {};
      Object.keys(scores).forEach(function (doc) {
        if (found[doc]) { both[doc] = scores[doc] + found[doc]; }
      });
      scores = both;
    });
    return Object.keys(scores).map(Number).sort(function (a, b) {
      return scores[b] - scores[a] || a - b;
    });
  }

  function show(query) {
    list.textContent = "";
    if (!query.trim()) { status.textContent = status.dataset.empty; return; }
    var hits = search(query);
    status.textContent = (hits.length ? status.dataset.found : status.dataset.none)
      .replace("{count}", String(hits.length)).replace("{query}", query);
    hits.forEach(function (number) {
      var doc = data.docs[number];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = doc.url;
      link.textContent = doc.title;
      var where = document.createElement("span");
      where.className = "site-result-module";
      where.textContent = doc.module;
      var excerpt = document.createElement("p");
      excerpt.textContent = doc.excerpt;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(where);
      item.appendChild(excerpt);
      list.appendChild(item);
    });
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  var input = document.getElementById("search-page-input");
  if (input) { input.value = query; }
  show(query);
  if (form && input) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value);
      try { window.history.replaceState(null, "", url.href); } catch (e) { /* file:// */ }
      show(input.value);
    });
  }
})();
