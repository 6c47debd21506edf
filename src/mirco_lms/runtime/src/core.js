/*
 * core.js: shared helpers of the learner runtime — the event bus, string formatting,
 * the seeded random generator, time formats of SCORM 1.2 and 2004, debug logging.
 *
 * The files of src/ are concatenated by the build (in the order of RUNTIME_SOURCES in
 * render/assemble.py) into one strict-mode function scope: `_mirco/mirco.js`.
 */

var DEBUG = /[?&]mirco-debug=(1|true)\b/.test(window.location.search || "");

function debug() {
  if (DEBUG && window.console) {
    window.console.log.apply(window.console, ["[mirco]"].concat([].slice.call(arguments)));
  }
}

function warn(message, detail) {
  if (window.console && window.console.warn) {
    window.console.warn("[mirco] " + message, detail === undefined ? "" : detail);
  }
}

/* --- event bus: what happens in the course, for trackers (SCORM now, xAPI later) ------ */

var listeners = {};

/** Call `fn(detail)` whenever `name` is emitted ("*" hears every event as fn(detail, name)). */
function on(name, fn) {
  (listeners[name] = listeners[name] || []).push(fn);
}

function off(name, fn) {
  listeners[name] = (listeners[name] || []).filter(function (f) { return f !== fn; });
}

/** Tell every listener of `name` (and of "*"); a failing listener never stops the course. */
function emit(name, detail) {
  debug("event", name, detail);
  var called = (listeners[name] || []).concat(listeners["*"] || []);
  for (var i = 0; i < called.length; i += 1) {
    try {
      called[i](detail, name);
    } catch (err) {
      warn("a listener of '" + name + "' failed", err);
    }
  }
}

/* --- text --------------------------------------------------------------------------- */

var strings = {};

var numbers = { decimal: ".", group: "," };

/** `n` as the page's language writes it, with the build's locale data (8,33 and 1.000 in
    sr and mk; 8.33 and 1,000 in en): at most two decimals, no trailing zeros. */
function num(n) {
  var parts = (Math.round(Math.abs(n) * 100) / 100).toFixed(2).replace(/\.?0+$/, "").split(".");
  var whole = parts[0].replace(/\B(?=(\d{3})+$)/g, numbers.group);
  return (n < 0 ? "-" : "") + whole + (parts[1] ? numbers.decimal + parts[1] : "");
}

/** The translated UI string `key` (from the course data) with `{name}` placeholders filled;
    numbers are written the page language's way. */
function t(key, values) {
  var text = Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : key;
  return String(text).replace(/\{(\w+)\}/g, function (all, name) {
    if (!values || !Object.prototype.hasOwnProperty.call(values, name)) {
      return all;
    }
    return typeof values[name] === "number" ? num(values[name]) : values[name];
  });
}

function each(list, fn) {
  Array.prototype.forEach.call(list || [], fn);
}

function $(selector, root) {
  return (root || document).querySelector(selector);
}

function $$(selector, root) {
  return Array.prototype.slice.call((root || document).querySelectorAll(selector));
}

/* --- seeded random numbers: the same seed gives the same draw and the same shuffles -- */

function hashString(text) {
  var h = 2166136261;
  for (var i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** mulberry32: a small, good 32-bit PRNG; returns a function giving floats in [0, 1). */
function prng(seed) {
  var a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    var x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shuffled copy of `list` (Fisher–Yates with `random`). */
function shuffled(list, random) {
  var out = list.slice();
  for (var i = out.length - 1; i > 0; i -= 1) {
    var j = Math.floor(random() * (i + 1));
    var tmp = out[i];
    out[i] = out[j];
    out[j] = tmp;
  }
  return out;
}

function newSeed() {
  var buf = new Uint32Array(1);
  if (window.crypto && window.crypto.getRandomValues) {
    window.crypto.getRandomValues(buf);
    return buf[0] % 2176782336; /* 36^6: six base-36 digits in suspend data */
  }
  return Math.floor(Math.random() * 2176782336);
}

/* --- SCORM time formats ---------------------------------------------------------------- */

function pad(n, width) {
  var s = String(n);
  while (s.length < width) {
    s = "0" + s;
  }
  return s;
}

/** SCORM 1.2 CMITimespan: HHHH:MM:SS.SS */
function timespan12(ms) {
  var cs = Math.max(0, Math.round(ms / 10));
  var h = Math.min(9999, Math.floor(cs / 360000));
  var m = Math.floor(cs / 6000) % 60;
  var s = Math.floor(cs / 100) % 60;
  return pad(h, 4) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(cs % 100, 2);
}

/** SCORM 2004 timeinterval (ISO 8601 duration): PT1H2M3.45S */
function duration2004(ms) {
  var cs = Math.max(0, Math.round(ms / 10));
  var h = Math.floor(cs / 360000);
  var m = Math.floor(cs / 6000) % 60;
  var s = (cs % 6000) / 100;
  return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + s + "S";
}

/** SCORM 1.2 CMITime (time of day): HH:MM:SS */
function time12(date) {
  return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" +
    pad(date.getSeconds(), 2);
}

/** SCORM 2004 time (second,10,0): local date and time, YYYY-MM-DDThh:mm:ss */
function timestamp2004(date) {
  return date.getFullYear() + "-" + pad(date.getMonth() + 1, 2) + "-" + pad(date.getDate(), 2) +
    "T" + time12(date);
}
