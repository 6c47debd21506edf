/*
 * queue.js: where xAPI statements wait until the LRS holds them: one localStorage key per
 * statement, "mirco:xapi:ep:<endpoint hash>:s:<id>" → {t: created, n: order, s}, so any
 * later launch of a mirco package on this origin sending to that endpoint sends what an
 * earlier page left; this page's memory when storage is full (reported). "…:lease" →
 * {tab, until}: the one tab that sends. "mirco:xapi:log": ids generated (last 2,000);
 * "mirco:xapi:refused": statements the LRS refused for good (last 100).
 */

var LOG_KEY = "mirco:xapi:log";
var REFUSED_KEY = "mirco:xapi:refused";
var LOG_MAX = 2000;
var LEASE_MS = 3000;

function localStore() {
  try {
    return window.localStorage || null;
  } catch (err) {
    return null; /* e.g. storage disabled for file:// or by policy */
  }
}

function Queue(endpoint) {
  this.ns = "mirco:xapi:ep:" + hashString(endpoint).toString(36) + ":";
  this.prefix = this.ns + "s:";
  this.leaseKey = this.ns + "lease";
  this.store = localStore();
  this.memory = {};
  this.full = false;
  this.seq = 0;
  this.tab = uuid4();
  this.generated = [];
  this.migrate("mirco:xapi:q:" + endpoint);
}

Queue.prototype.write = function (key, value) {
  if (!this.store) {
    return false;
  }
  try {
    this.store.setItem(key, JSON.stringify(value));
    return true;
  } catch (err) {
    return false;
  }
};

Queue.prototype.read = function (key) {
  try {
    return JSON.parse((this.store && this.store.getItem(key)) || "null");
  } catch (err) {
    return null;
  }
};

/** Keep `statement` until remove(); false when only this page's memory could take it. */
Queue.prototype.put = function (statement, created) {
  var entry = { t: created || Date.now(), n: this.seq, s: statement };
  this.seq += 1;
  if (this.write(this.prefix + statement.id, entry)) {
    return true;
  }
  this.memory[statement.id] = entry;
  if (!this.full) {
    this.full = true;
    warn("storage full: xAPI statements wait in this page until sent");
  }
  return false;
};

/** Every waiting entry {t, n, s}, oldest first (this page's memory included). */
Queue.prototype.list = function () {
  var out = [];
  var seen = {};
  var store = this.store;
  if (store) {
    var keys = [];
    try {
      for (var i = 0; i < store.length; i += 1) {
        var key = store.key(i);
        if (key && key.indexOf(this.prefix) === 0) {
          keys.push(key);
        }
      }
    } catch (err) {
      keys = [];
    }
    keys.forEach(function (k) {
      var entry = this.read(k);
      if (entry && entry.s && entry.s.id) {
        seen[entry.s.id] = true;
        out.push(entry);
      }
    }, this);
  }
  Object.keys(this.memory).forEach(function (id) {
    if (!seen[id]) {
      out.push(this.memory[id]);
    }
  }, this);
  return out.sort(function (a, b) { return (a.t - b.t) || (a.n - b.n); });
};

Queue.prototype.count = function () {
  return this.list().length;
};

Queue.prototype.remove = function (ids) {
  ids.forEach(function (id) {
    delete this.memory[id];
    try {
      if (this.store) {
        this.store.removeItem(this.prefix + id);
      }
    } catch (err) {
      debug("xAPI queue", err);
    }
  }, this);
};

/** Note a generated id (in this page, and in the origin's log while there is room). */
Queue.prototype.log = function (id) {
  this.generated.push(id);
  var ids = this.read(LOG_KEY) || [];
  ids.push(id);
  this.write(LOG_KEY, ids.slice(-LOG_MAX));
};

Queue.prototype.refused = function (note) {
  var list = this.read(REFUSED_KEY) || [];
  list.push(note);
  this.write(REFUSED_KEY, list.slice(-100));
};

/** True when this tab may send now (takes or renews the lease). */
Queue.prototype.lease = function () {
  if (!this.store) {
    return true;
  }
  var now = Date.now();
  var held = this.read(this.leaseKey);
  if (held && held.tab !== this.tab && held.until > now) {
    return false;
  }
  if (!this.write(this.leaseKey, { tab: this.tab, until: now + LEASE_MS })) {
    return true; /* storage full: sending twice is harmless (same id, same content) */
  }
  held = this.read(this.leaseKey);
  return !!held && held.tab === this.tab;
};

Queue.prototype.release = function () {
  var held = this.read(this.leaseKey);
  if (held && held.tab === this.tab) {
    try {
      this.store.removeItem(this.leaseKey);
    } catch (err) {
      debug("xAPI lease", err);
    }
  }
};

/** The single-array queue of earlier runtimes ("mirco:xapi:q:<endpoint>"), moved over. */
Queue.prototype.migrate = function (oldKey) {
  var old = this.read(oldKey);
  if (!Array.isArray(old)) {
    return;
  }
  var self = this;
  old.forEach(function (s) {
    if (s && s.id) {
      self.put(s, Date.parse(s.timestamp) || Date.now());
    }
  });
  try {
    this.store.removeItem(oldKey);
  } catch (err) {
    debug("xAPI queue", err);
  }
};
