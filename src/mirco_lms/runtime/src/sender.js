/*
 * sender.js: the xAPI statement queue. Statements wait in localStorage and go to the LRS
 * in order, in batches, with retry and exponential backoff: at startup, after each new
 * statement, on `online` events and at pagehide (fetch keepalive: a beacon cannot carry
 * the Authorization header). Ids are set by the runtime, so sending twice is harmless:
 * the LRS answers 200/204 for an id it already holds with the same content. A 409 (same
 * id, different content) or a 400 (the LRS will never take it) drops that one statement
 * with a console warning instead of blocking the queue.
 *
 * localStorage: "mirco:xapi:q:<endpoint>" the queue; "mirco:xapi:log" the ids generated
 * (last 2,000), so a test or a curious admin can compare with what the LRS holds.
 */

var XAPI_VERSION = "1.0.3";
var BATCH_MAX = 25;
var BATCH_BYTES = 48000; /* keepalive requests may carry 64 KB in all */
var RETRY_MAX_MS = 300000;
var LOG_KEY = "mirco:xapi:log";

function Sender(endpoint, auth) {
  this.endpoint = String(endpoint).replace(/\/?$/, "/");
  this.auth = auth;
  this.key = "mirco:xapi:q:" + this.endpoint;
  this.store = storage();
  this.memory = [];
  this.busy = false;
  this.inflight = [];
  this.failures = 0;
  this.timer = 0;
  this.waiting = [];
  var self = this;
  window.addEventListener("online", function () { self.failures = 0; self.flush(); });
}

Sender.prototype.load = function () {
  if (!this.store) {
    return this.memory;
  }
  try {
    return JSON.parse(this.store.getItem(this.key) || "[]") || [];
  } catch (err) {
    return [];
  }
};

Sender.prototype.save = function (list) {
  this.memory = list;
  if (this.store) {
    try {
      this.store.setItem(this.key, JSON.stringify(list));
    } catch (err) {
      warn("cannot keep xAPI statements in this browser", err);
    }
  }
};

Sender.prototype.log = function (id) {
  if (!this.store) {
    return;
  }
  try {
    var ids = JSON.parse(this.store.getItem(LOG_KEY) || "[]");
    ids.push(id);
    this.store.setItem(LOG_KEY, JSON.stringify(ids.slice(-2000)));
  } catch (err) {
    debug("xAPI log", err);
  }
};

/** Queue `statement` and try to send. */
Sender.prototype.add = function (statement) {
  var list = this.load();
  list.push(statement);
  this.save(list);
  this.log(statement.id);
  this.flush();
};

/** Give every queued statement without an actor this one (standalone: the form). */
Sender.prototype.setActor = function (actor) {
  this.save(this.load().map(function (s) {
    if (!s.actor) {
      s.actor = actor;
    }
    return s;
  }));
  this.flush();
};

Sender.prototype.remove = function (ids) {
  this.save(this.load().filter(function (s) { return ids.indexOf(s.id) < 0; }));
};

Sender.prototype.request = function (method, path, body) {
  return window.fetch(this.endpoint + path, {
    method: method, body: JSON.stringify(body), keepalive: true, mode: "cors",
    credentials: "omit", cache: "no-store",
    headers: { "Authorization": this.auth, "Content-Type": "application/json",
      "X-Experience-API-Version": XAPI_VERSION }
  });
};

/** The next batch: the oldest statements with an actor, within the size limits. */
function nextBatch(list) {
  var batch = [];
  var bytes = 2;
  for (var i = 0; i < list.length && batch.length < BATCH_MAX; i += 1) {
    if (!list[i].actor) {
      break; /* keep the order: nothing overtakes a statement still waiting for its actor */
    }
    bytes += JSON.stringify(list[i]).length + 1;
    if (batch.length && bytes > BATCH_BYTES) {
      break;
    }
    batch.push(list[i]);
  }
  return batch;
}

/** Send what is queued, batch after batch; on failure try again later. */
Sender.prototype.flush = function () {
  if (this.busy) {
    return;
  }
  var batch = nextBatch(this.load());
  if (!batch.length) {
    this.settle();
    return;
  }
  var self = this;
  var ids = batch.map(function (s) { return s.id; });
  window.clearTimeout(this.timer);
  this.busy = true;
  this.inflight = ids;
  this.request("POST", "statements", batch).then(function (res) {
    if (res.ok) {
      self.remove(ids);
      return null;
    }
    if (res.status === 409 || res.status === 400) {
      return self.oneByOne(batch);
    }
    throw new Error("the LRS answered " + res.status);
  }).then(function () {
    self.busy = false;
    self.failures = 0;
    self.flush();
  }, function (err) {
    self.busy = false;
    self.retry(err);
  });
};

/** The page is going away: send what is not already on its way, without waiting. */
Sender.prototype.last = function () {
  if (!this.busy) {
    this.flush();
    return;
  }
  var inflight = this.inflight;
  var batch = nextBatch(this.load().filter(function (s) { return inflight.indexOf(s.id) < 0; }));
  if (batch.length) {
    this.request("POST", "statements", batch).catch(function () { return null; });
  }
};

/** After a 409/400 for a batch: PUT each statement to find the one the LRS refuses. */
Sender.prototype.oneByOne = function (batch) {
  var self = this;
  return batch.reduce(function (chain, s) {
    return chain.then(function () {
      return self.request("PUT", "statements?statementId=" + encodeURIComponent(s.id), s);
    }).then(function (res) {
      if (res.status === 409 || res.status === 400) {
        warn("the LRS refused statement " + s.id + " (" + res.status + "); it is dropped", s);
      } else if (!res.ok) {
        throw new Error("the LRS answered " + res.status);
      }
      self.remove([s.id]);
    });
  }, Promise.resolve());
};

Sender.prototype.retry = function (err) {
  this.failures += 1;
  var delay = Math.min(RETRY_MAX_MS, 1000 * Math.pow(2, this.failures - 1));
  delay = Math.round(delay * (0.5 + Math.random() / 2));
  debug("xAPI send failed; again in " + delay + " ms", err);
  var self = this;
  this.timer = window.setTimeout(function () { self.flush(); }, delay);
  this.settle();
};

/** Resolve the promises of drain() once nothing is being sent. */
Sender.prototype.settle = function () {
  var waiting = this.waiting;
  this.waiting = [];
  waiting.forEach(function (fn) { fn(this.load().length); }, this);
};

/** A promise of the number of statements still queued once the current send ends. */
Sender.prototype.drain = function () {
  var self = this;
  return new Promise(function (resolve) {
    self.waiting.push(resolve);
    if (!self.busy) {
      self.flush();
    }
  });
};
