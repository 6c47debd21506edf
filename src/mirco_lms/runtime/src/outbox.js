/*
 * outbox.js: a discreet line at the bottom left (never catching a click) while results
 * wait to be sent ("Results waiting to be sent: 3", after OUTBOX_DELAY_MS so a normal send
 * never shows it), or once the LRS refused the package's key. `?mirco-debug=1` keeps it
 * visible and lists the queue (age, verb, object, id; "waiting for the learner").
 */

var OUTBOX_DELAY_MS = 2000;

function Outbox(sender) {
  this.sender = sender;
  this.since = 0;
  var node = this.node = document.createElement("div");
  node.className = "mirco-outbox";
  node.setAttribute("role", "status");
  node.hidden = true;
  node.style.cssText = "position:fixed;left:.5rem;bottom:.5rem;z-index:1000;" +
    "pointer-events:none;max-width:" + (DEBUG ? "95vw" : "20rem") + ";max-height:40vh;" +
    "overflow:auto;padding:.25rem .5rem;font:.8rem/1.4 sans-serif;color:#1f2328;" +
    "background:#fff8c5;border:1px solid #d4a72c;border-radius:.25rem";
  this.text = node.appendChild(document.createElement("span"));
  this.list = null;
  if (DEBUG) {
    this.list = node.appendChild(document.createElement("ol"));
  }
  document.body.appendChild(node);
  var self = this;
  sender.watch(function () { self.update(); });
  this.update();
}

Outbox.prototype.update = function () {
  var status = this.sender.status();
  var now = Date.now();
  if (!status.waiting) {
    this.since = 0;
  } else if (!this.since) {
    this.since = now;
  }
  var message = "";
  if (status.stopped && status.waiting) {
    message = t("xapiStopped");
  } else if (status.waiting && (now - this.since >= OUTBOX_DELAY_MS || DEBUG)) {
    message = t("xapiWaiting", { count: status.waiting });
  }
  if (DEBUG) {
    message = (message || "xAPI: nothing waiting") + (status.problem ? " · " +
      status.problem : "") + (status.refused ? " · refused: " + status.refused : "");
    this.fill(status.entries, now);
  }
  if (this.text.textContent !== message) {
    this.text.textContent = message;
  }
  this.node.hidden = !message;
};

/** Debug mode: one line per waiting statement. */
Outbox.prototype.fill = function (entries, now) {
  var list = this.list;
  while (list.firstChild) {
    list.removeChild(list.firstChild);
  }
  entries.forEach(function (entry) {
    var s = entry.s;
    var item = document.createElement("li");
    var verb = s.verb && s.verb.id ? s.verb.id.replace(/^.*\//, "") : "?";
    item.textContent = Math.round((now - entry.t) / 1000) + " s · " + verb + " · " +
      (s.object && s.object.id) + " · " + s.id + (s.actor ? "" : " · waiting for the learner");
    list.appendChild(item);
  });
};

/** Mount the indicator once the page has a body. */
function startOutbox(sender) {
  function mount() {
    if (document.body) {
      sender.outbox = new Outbox(sender);
    }
  }
  if (document.body) {
    mount();
  } else {
    document.addEventListener("DOMContentLoaded", mount);
  }
}
