/*
 * mirco preview: a small SCORM 1.2 / 2004 run-time emulation (the LMS side), for authors.
 * It keeps the CMI data of each package in localStorage, resumes a suspended session on
 * the next launch and shows every value and API call in the panel next to the course,
 * and what the course's xAPI sender reports (statements refused, a wrong key, no LRS).
 */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("pv-config").textContent);
  var v12 = cfg.version === "1.2";
  var K = v12 ? { entry: "cmi.core.entry", exit: "cmi.core.exit", location: "cmi.core.lesson_location",
    status: "cmi.core.lesson_status" } : { entry: "cmi.entry", exit: "cmi.exit", location: "cmi.location",
    status: "cmi.completion_status" };
  var ERRORS = { "0": "No error", "101": "General exception", "122": "Retrieve data before initialization",
    "123": "Retrieve data after termination", "132": "Store data before initialization",
    "133": "Store data after termination", "142": "Commit before initialization",
    "143": "Commit after termination", "201": "Invalid argument", "301": "Not initialized",
    "403": "Data model element value not initialized", "103": "Already initialized",
    "104": "Content instance terminated", "112": "Termination before initialization",
    "113": "Termination after termination" };
  var frame = document.getElementById("pv-frame");
  var table = document.querySelector("#pv-cmi tbody");
  var log = document.getElementById("pv-log");
  var sessionLine = document.getElementById("pv-session");
  var api = null;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(cfg.key) || "{}") || {}; } catch (e) { return {}; }
  }
  function save(data) {
    try { window.localStorage.setItem(cfg.key, JSON.stringify(data)); } catch (e) { /* full */ }
  }

  function Emulator() {
    var before = load();
    var resume = before[K.exit] === "suspend";
    var data = {};
    var phase = 0; /* 0 new, 1 running, 2 terminated */
    var error = "0";
    var changed = "";
    if (resume) {
      Object.keys(before).forEach(function (k) {
        if (!/\.(exit|session_time|entry)$/.test(k)) { data[k] = before[k]; }
      });
    } else if (before[K.status]) {
      data[K.status] = before[K.status]; /* a new attempt keeps the last result visible */
    }
    data[K.entry] = resume ? "resume" : (v12 ? "" : "ab-initio");
    if (v12) {
      data["cmi.core.lesson_mode"] = "normal";
      data["cmi.core.credit"] = "credit";
      data["cmi.core.student_id"] = "preview";
      data["cmi.core.student_name"] = "Preview, Author";
    } else {
      data["cmi.mode"] = "normal";
      data["cmi.credit"] = "credit";
      data["cmi.learner_id"] = "preview";
      data["cmi.learner_name"] = "Author Preview";
    }
    function count() {
      var n = 0;
      Object.keys(data).forEach(function (k) {
        var m = /^cmi\.interactions\.(\d+)\./.exec(k);
        if (m) { n = Math.max(n, Number(m[1]) + 1); }
      });
      return String(n);
    }
    function record(name, args, result) {
      var li = document.createElement("li");
      li.textContent = name + "(" + args.map(function (a) { return JSON.stringify(a); }).join(", ") +
        ") → " + JSON.stringify(result) + (error !== "0" ? " [" + error + " " + ERRORS[error] + "]" : "");
      log.insertBefore(li, log.firstChild);
      while (log.children.length > 200) { log.removeChild(log.lastChild); }
      return result;
    }
    function render() {
      table.innerHTML = "";
      Object.keys(data).sort().forEach(function (k) {
        var tr = document.createElement("tr");
        var th = document.createElement("th");
        var td = document.createElement("td");
        th.scope = "row";
        // a break opportunity after each dot only: element names never break mid-word
        k.split(".").forEach(function (part, i, parts) {
          th.appendChild(document.createTextNode(part + (i < parts.length - 1 ? "." : "")));
          if (i < parts.length - 1) { th.appendChild(document.createElement("wbr")); }
        });
        td.textContent = data[k];
        if (k === changed) { tr.className = "pv-changed"; }
        tr.appendChild(th);
        tr.appendChild(td);
        table.appendChild(tr);
      });
      sessionLine.textContent = "SCORM " + cfg.version + " · " + ["not initialized", "running", "terminated"][phase] +
        " · entry " + JSON.stringify(data[K.entry]);
    }
    function guard(code) { error = code; return v12 ? "false" : "false"; }
    var methods = {
      init: function () {
        if (phase !== 0) { return guard(phase === 1 ? "103" : "104"); }
        phase = 1; error = "0"; render(); return "true";
      },
      get: function (key) {
        if (phase !== 1) { error = v12 ? "301" : (phase ? "123" : "122"); return ""; }
        error = "0";
        if (/\._count$/.test(key) && key.indexOf("interactions") >= 0) { return count(); }
        if (!Object.prototype.hasOwnProperty.call(data, key)) { error = v12 ? "0" : "403"; return ""; }
        return data[key];
      },
      set: function (key, value) {
        if (phase !== 1) { return guard(v12 ? "301" : (phase ? "133" : "132")); }
        if (typeof key !== "string" || key.indexOf("cmi.") !== 0) { return guard("201"); }
        error = "0"; data[key] = String(value); changed = key; render(); return "true";
      },
      commit: function () {
        if (phase !== 1) { return guard(v12 ? "301" : (phase ? "143" : "142")); }
        error = "0"; save(data); return "true";
      },
      finish: function () {
        if (phase !== 1) { return guard(v12 ? "301" : (phase ? "113" : "112")); }
        phase = 2; error = "0"; save(data); render(); return "true";
      }
    };
    var names = v12 ? { init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
      finish: "LMSFinish", err: "LMSGetLastError", str: "LMSGetErrorString", diag: "LMSGetDiagnostic" } :
      { init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit", finish: "Terminate",
        err: "GetLastError", str: "GetErrorString", diag: "GetDiagnostic" };
    var self = {};
    Object.keys(methods).forEach(function (m) {
      self[names[m]] = function () {
        var args = [].slice.call(arguments);
        return record(names[m], args, methods[m].apply(null, args));
      };
    });
    self[names.err] = function () { return error; };
    self[names.str] = function (code) { return ERRORS[String(code)] || ""; };
    self[names.diag] = function (code) { return ERRORS[String(code || error)] || ""; };
    self.data = data;
    render();
    return self;
  }

  function launch() {
    window.API = window.API_1484_11 = undefined;
    api = new Emulator();
    window[v12 ? "API" : "API_1484_11"] = api;
    frame.src = "/pkg/" + encodeURIComponent(cfg.package) + "/" + cfg.launch;
  }
  function relaunch(reset) {
    frame.addEventListener("load", function once() {
      frame.removeEventListener("load", once);
      if (reset) { window.localStorage.removeItem(cfg.key); }
      log.innerHTML = "";
      launch();
    });
    frame.src = "about:blank";
  }
  /* the course's xAPI sender reports refusals, a wrong key or an unreachable LRS */
  window.addEventListener("message", function (event) {
    var d = event.data;
    if (event.source !== frame.contentWindow || !d || d.mirco !== "xapi") { return; }
    var li = document.createElement("li");
    li.className = "pv-xapi pv-xapi-" + String(d.level);
    li.textContent = "xAPI " + String(d.level) + ": " + String(d.message);
    log.insertBefore(li, log.firstChild);
  });
  document.getElementById("pv-reset").addEventListener("click", function () { relaunch(true); });
  document.getElementById("pv-relaunch").addEventListener("click", function () { relaunch(false); });
  var chooser = document.getElementById("pv-sco");
  if (chooser) {
    chooser.addEventListener("change", function () {
      window.location.search = "?sco=" + encodeURIComponent(chooser.value);
    });
  }
  launch();
})();
