/*
 * lms.js: finding the LMS's SCORM API and talking to it safely.
 *
 * Discovery follows the run-time specifications (SCORM 1.2 RTE 3.3.6.1, SCORM 2004 RTE
 * 3.1.3.1): look in this window and its parents, then in the opener and its parents.
 * Every call is wrapped: an LMS error or exception is logged (`?mirco-debug=1` logs every
 * call) and never breaks the page. Without an LMS a local emulation keeps progress in
 * localStorage (a package opened from disk or a USB stick).
 */

var MAX_HOPS = 500;
var METHODS = {
  "1.2": {
    name: "API", init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue",
    commit: "LMSCommit", finish: "LMSFinish", error: "LMSGetLastError",
    errorString: "LMSGetErrorString", diagnostic: "LMSGetDiagnostic"
  },
  "2004": {
    name: "API_1484_11", init: "Initialize", get: "GetValue", set: "SetValue",
    commit: "Commit", finish: "Terminate", error: "GetLastError",
    errorString: "GetErrorString", diagnostic: "GetDiagnostic"
  }
};

function searchFrames(win, name) {
  for (var hops = 0; win && hops < MAX_HOPS; hops += 1) {
    try {
      if (win[name]) {
        return win[name];
      }
      if (!win.parent || win.parent === win) {
        return null;
      }
      win = win.parent;
    } catch (err) {
      return null; /* a cross-origin frame: the API cannot be above it */
    }
  }
  return null;
}

function findApi(name) {
  var found = searchFrames(window, name);
  try {
    if (!found && window.opener) {
      found = searchFrames(window.opener, name);
    }
    if (!found && window.top && window.top.opener) {
      found = searchFrames(window.top.opener, name);
    }
  } catch (err) {
    found = null;
  }
  return found || null;
}

/** The LMS API: the version the package was built for first, then the other one. */
function discover(preferred) {
  var order = preferred === "1.2" ? ["1.2", "2004"] : ["2004", "1.2"];
  for (var i = 0; i < order.length; i += 1) {
    var api = findApi(METHODS[order[i]].name);
    if (api) {
      return new Lms(api, order[i]);
    }
  }
  return null;
}

/* --- a safe adapter over both versions ------------------------------------------------ */

function Lms(api, version) {
  this.api = api;
  this.version = version;
  this.names = METHODS[version === "1.2" ? "1.2" : "2004"];
  this.active = false;
  this.terminated = false;
}

Lms.prototype.call = function (method, args) {
  var result = "";
  try {
    var fn = this.api[this.names[method]];
    result = String(fn.apply(this.api, args));
  } catch (err) {
    warn(this.names[method] + " threw", err);
    return "";
  }
  debug(this.names[method] + "(" + args.map(JSON.stringify).join(", ") + ") → " +
    JSON.stringify(result));
  return result;
};

/** The LMS's last error as "code: text", or "" when there is none. */
Lms.prototype.lastError = function () {
  var code = this.call("error", []);
  if (!code || code === "0") {
    return "";
  }
  return code + ": " + this.call("errorString", [code]);
};

Lms.prototype.initialize = function () {
  this.active = this.call("init", [""]) === "true";
  if (!this.active) {
    warn("the LMS refused to initialize", this.lastError());
  }
  return this.active;
};

Lms.prototype.get = function (key) {
  if (!this.active || this.terminated) {
    return "";
  }
  var value = this.call("get", [key]);
  if (value === "") {
    var error = this.lastError();
    if (error) {
      debug("GetValue " + key + ": " + error); /* e.g. not set yet: normal on a first launch */
    }
  }
  return value;
};

Lms.prototype.set = function (key, value) {
  if (!this.active || this.terminated) {
    return false;
  }
  var ok = this.call("set", [key, String(value)]) === "true";
  if (!ok) {
    warn("the LMS did not accept " + key + " = " + JSON.stringify(String(value)), this.lastError());
  }
  return ok;
};

Lms.prototype.commit = function () {
  if (!this.active || this.terminated) {
    return false;
  }
  var ok = this.call("commit", [""]) === "true";
  if (!ok) {
    warn("commit failed", this.lastError());
  }
  return ok;
};

Lms.prototype.terminate = function () {
  if (!this.active || this.terminated) {
    return false;
  }
  this.terminated = true;
  var ok = this.call("finish", [""]) === "true";
  if (!ok) {
    warn("terminate failed", this.lastError());
  }
  return ok;
};

/* --- standalone: a tiny SCORM 2004 data model kept in localStorage ---------------------- */

var KEPT = /^cmi\.(location|suspend_data|completion_status|success_status|score\.\w+|progress_measure)$/;

function storage() {
  try {
    var store = window.localStorage;
    store.setItem("mirco:probe", "1");
    store.removeItem("mirco:probe");
    return store;
  } catch (err) {
    return null;
  }
}

/** A SCORM 2004-shaped API over localStorage (key: module, version, language and SCO). */
function LocalApi(key, store) {
  var data = {};
  try {
    data = JSON.parse(store.getItem(key) || "{}") || {};
  } catch (err) {
    data = {};
  }
  var entry = data["cmi.suspend_data"] || data["cmi.location"] ? "resume" : "ab-initio";
  var count = 0;
  function save() {
    var kept = {};
    Object.keys(data).forEach(function (k) {
      if (KEPT.test(k)) {
        kept[k] = data[k];
      }
    });
    try {
      store.setItem(key, JSON.stringify(kept));
    } catch (err) {
      warn("cannot save progress in this browser", err);
    }
    return "true";
  }
  return {
    Initialize: function () { return "true"; },
    Terminate: save,
    Commit: save,
    GetValue: function (k) {
      if (k === "cmi.entry") {
        return entry;
      }
      if (k === "cmi.interactions._count") {
        return String(count);
      }
      return Object.prototype.hasOwnProperty.call(data, k) ? data[k] : "";
    },
    SetValue: function (k, v) {
      var m = /^cmi\.interactions\.(\d+)\.id$/.exec(k);
      if (m) {
        count = Math.max(count, Number(m[1]) + 1);
      }
      data[k] = String(v);
      return "true";
    },
    GetLastError: function () { return "0"; },
    GetErrorString: function () { return ""; },
    GetDiagnostic: function () { return ""; }
  };
}

/** The standalone "LMS", or null when this browser keeps nothing (private mode, policies). */
function standalone(key) {
  var store = storage();
  if (!store) {
    return null;
  }
  var lms = new Lms(new LocalApi(key, store), "standalone");
  return lms;
}
