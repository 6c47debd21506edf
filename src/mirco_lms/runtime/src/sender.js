/*
 * sender.js: statements from the queue (queue.js) to the LRS, each stored exactly once.
 * Ids are set by the runtime and statements never change once queued, so sending one
 * twice is harmless; one leaves the queue when the LRS answered 2xx for it. One tab sends
 * at a time (the queue's lease; others' statements are heard of through `storage`
 * events). A statement made before the learner is known gets the actor when sent and
 * holds up nothing. Failures (LRS down or slow, offline, CORS: fetch cannot tell them
 * apart) are retried after 0.5 s doubling to 8 s, at once on `online`. 400/409/413 for a
 * batch: one by one; a statement refused for good is dropped and reported. 401/403: the
 * key is wrong; reported, and this page sends no more. At pagehide what waits goes with
 * fetch keepalive (a beacon cannot carry Authorization) within the browser's 64 KB
 * budget; the rest goes at the next launch of a mirco package sending to this LRS.
 */

var XAPI_VERSION = "1.0.3";
var BATCH_MAX = 50;
var BATCH_BYTES = 250000;
var KEEPALIVE_BYTES = 60000; /* all keepalive requests in flight share 64 KB */
var RETRY_MIN_MS = 500;
var RETRY_MAX_MS = 8000;
var TICK_MS = 1000;

function Sender(endpoint, auth) {
  this.endpoint = String(endpoint).replace(/\/?$/, "/");
  this.auth = auth;
  this.queue = new Queue(this.endpoint);
  this.actor = null;
  this.busy = false;
  this.failures = 0;
  this.timer = 0;
  this.stopped = "";
  this.problem = "";
  this.refusals = [];
  this.kept = {};
  this.keptBytes = 0;
  this.waiting = [];
  this.watchers = [];
  var self = this;
  window.addEventListener("online", function () { self.failures = 0; self.flush(); });
  window.addEventListener("storage", function (event) {
    /* another tab queued a statement, or the tab that was sending left */
    var added = event.key && event.key.indexOf(self.queue.prefix) === 0 && !event.oldValue;
    if (added || (event.key === self.queue.leaseKey && !event.newValue)) {
      self.flush();
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      self.flush();
    }
  });
  this.ticker = window.setInterval(function () { self.tick(); }, TICK_MS);
  startOutbox(this);
}

/** Queue `statement` and try to send. */
Sender.prototype.add = function (statement) {
  if (!statement.actor && this.actor) {
    statement.actor = this.actor;
  }
  this.queue.put(statement);
  this.queue.log(statement.id);
  this.flush();
};

/** The learner is known now: statements waiting for an actor get this one when sent. */
Sender.prototype.setActor = function (actor) {
  this.actor = actor || null;
  this.flush();
};

/** `statement` ready to send (with its actor), or null while no actor is known. */
Sender.prototype.ready = function (statement) {
  if (statement.actor) {
    return statement;
  }
  var actor = this.actor || learnerActor(this.queue.read(LEARNER_KEY));
  if (!actor) {
    return null;
  }
  var out = copy(statement);
  out.actor = actor;
  return out;
};

/**
 * The statements to send next, oldest first, within `bytes` (skipping the ids in `skip`).
 * A statement larger than a batch goes alone, but never at pagehide (`keepalive`).
 */
Sender.prototype.batch = function (entries, bytes, skip, keepalive) {
  var out = [];
  var size = 2;
  for (var i = 0; i < entries.length && out.length < BATCH_MAX; i += 1) {
    var s = skip && skip[entries[i].s.id] ? null : this.ready(entries[i].s);
    if (!s) {
      continue; /* waiting for its actor: the others go on */
    }
    var length = JSON.stringify(s).length + 1;
    if (size + length > bytes) {
      if (keepalive) {
        continue; /* a smaller one may still fit */
      }
      if (!out.length) {
        out.push(s);
      }
      break;
    }
    size += length;
    out.push(s);
  }
  out.bytes = size;
  return out;
};

Sender.prototype.post = function (batch, keepalive) {
  return window.fetch(this.endpoint + "statements", {
    method: "POST", body: JSON.stringify(batch), keepalive: !!keepalive, mode: "cors",
    credentials: "omit", cache: "no-store",
    headers: { "Authorization": this.auth, "Content-Type": "application/json",
      "X-Experience-API-Version": XAPI_VERSION }
  });
};

function statementIds(batch) {
  return batch.map(function (s) { return s.id; });
}

/** Send what waits, batch after batch, while this tab holds the lease. */
Sender.prototype.flush = function () {
  if (this.busy) {
    return;
  }
  var batch = this.stopped ? [] : this.batch(this.queue.list(), BATCH_BYTES, null, false);
  if (!batch.length) {
    this.queue.release();
    this.settle();
    return;
  }
  if (!this.queue.lease()) {
    this.settle(); /* another tab sends; tick() asks again */
    return;
  }
  var self = this;
  window.clearTimeout(this.timer);
  this.timer = 0;
  this.busy = true;
  this.send(batch).then(function () {
    self.busy = false;
    self.failures = 0;
    if (self.problem) {
      self.problem = "";
      self.report("info", "xAPI statements are reaching the LRS again");
    }
    self.flush();
  }, function (err) {
    self.busy = false;
    self.retry(err);
  });
};

/** POST `batch`; settle each statement by the answer (refused ones one by one). */
Sender.prototype.send = function (batch) {
  var self = this;
  return this.post(batch, false).then(function (res) {
    if (res.ok) {
      self.queue.remove(statementIds(batch));
      return null;
    }
    if (res.status === 400 || res.status === 409 || res.status === 413) {
      return batch.length > 1 ? self.oneByOne(batch) : self.refuse(batch[0], res);
    }
    return self.failed(res);
  });
};

Sender.prototype.oneByOne = function (batch) {
  var self = this;
  return batch.reduce(function (chain, s) {
    return chain.then(function () { return self.send([s]); });
  }, Promise.resolve());
};

/** The LRS will never take `statement`: drop it and say so. */
Sender.prototype.refuse = function (statement, res) {
  var self = this;
  return res.text().catch(function () { return ""; }).then(function (body) {
    var note = { id: statement.id, status: res.status, reason: String(body).slice(0, 300),
      verb: statement.verb && statement.verb.id, at: new Date().toISOString() };
    self.queue.remove([statement.id]);
    self.queue.refused(note);
    self.refusals.push(note);
    self.report("warn", "the LRS refused xAPI statement " + statement.id + " (" +
      res.status + ": " + note.reason + "); it is dropped", note);
  });
};

/** A non-2xx answer other than a refusal: a wrong key stops sending, others are retried. */
Sender.prototype.failed = function (res) {
  var self = this;
  return res.text().catch(function () { return ""; }).then(function (body) {
    var reason = res.status + (body ? ": " + String(body).slice(0, 200) : "");
    if (res.status === 401 || res.status === 403) {
      self.stopped = "the LRS at " + self.endpoint + " refused this package's key (" +
        reason + "): check [tracking] key and secret; the statements wait in this browser";
      self.report("error", self.stopped);
      return null;
    }
    throw new Error("the LRS answered " + reason);
  });
};

Sender.prototype.retry = function (err) {
  this.failures += 1;
  var delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * Math.pow(2, this.failures - 1));
  delay = Math.round(delay * (0.75 + Math.random() / 4));
  var message = "cannot send xAPI statements to " + this.endpoint + " (" +
    (err && err.message || err) + ": offline, LRS down, or CORS refusing this origin); " +
    "trying again";
  if (this.failures === 2) {
    this.report("warn", message);
  } else {
    debug(message + " in " + delay + " ms");
  }
  this.problem = message;
  var self = this;
  this.timer = window.setTimeout(function () { self.timer = 0; self.flush(); }, delay);
  this.settle();
};

/** Every second: renew the lease or take over from a tab that left; retry when due. */
Sender.prototype.tick = function () {
  if (!this.busy && !this.timer && !this.stopped) {
    this.flush();
  }
  this.changed();
};

/**
 * The page is going away (or the session ended): send what waits with keepalive, within
 * the keepalive budget; statements stay queued until an answer says the LRS has them.
 */
Sender.prototype.last = function () {
  if (this.stopped) {
    return;
  }
  var self = this;
  var entries = this.queue.list();
  for (var round = 0; round < 20; round += 1) {
    var batch = this.batch(entries, KEEPALIVE_BYTES - this.keptBytes, this.kept, true);
    if (!batch.length) {
      break;
    }
    this.keep(batch, true);
    this.post(batch, true).then(function (sent) {
      return function (res) {
        self.keep(sent, false);
        if (res.ok) {
          self.queue.remove(statementIds(sent));
        }
      };
    }(batch), function (sent) {
      return function () { self.keep(sent, false); };
    }(batch));
  }
  this.queue.release();
};

Sender.prototype.keep = function (batch, on) {
  batch.forEach(function (s) {
    if (on) {
      this.kept[s.id] = true;
    } else {
      delete this.kept[s.id];
    }
  }, this);
  this.keptBytes += on ? batch.bytes : -batch.bytes;
};

/** Tell the console, and the preview's panel when the package runs inside `mirco serve`. */
Sender.prototype.report = function (level, message, detail) {
  if (level === "error" && window.console) {
    window.console.error("[mirco] " + message);
  } else if (level === "warn") {
    warn(message, detail);
  } else {
    debug(message);
  }
  try {
    if (window.parent && window.parent !== window) {
      window.parent.postMessage({ mirco: "xapi", level: level, message: message }, "*");
    }
  } catch (err) {
    debug("xAPI report", err);
  }
  this.changed();
};

/** What the indicator shows: {waiting, stopped, problem, refused, entries}. */
Sender.prototype.status = function () {
  var entries = this.queue.list();
  return { waiting: entries.length, stopped: this.stopped, problem: this.problem,
    refused: this.refusals.length, entries: entries, memoryOnly: this.queue.full };
};

Sender.prototype.watch = function (fn) {
  this.watchers.push(fn);
};

Sender.prototype.changed = function () {
  this.watchers.forEach(function (fn) { fn(); });
};

/** Resolve the promises of drain() once nothing is being sent. */
Sender.prototype.settle = function () {
  var waiting = this.waiting;
  this.waiting = [];
  var left = waiting.length ? this.queue.count() : 0;
  waiting.forEach(function (fn) { fn(left); });
  this.changed();
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
