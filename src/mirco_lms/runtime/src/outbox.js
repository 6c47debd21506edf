/*
 * outbox.js: a discreet line at the bottom left of the page (never catching a click) while
 * results wait to be sent ("Results waiting to be sent: 3", after OUTBOX_DELAY_MS so a
 * normal send never shows it), or when the LRS refused the package's key. With `?mirco-debug=1` it stays visible and
 * lists the queue: age, verb, object and id of every waiting statement, and whether it
 * still waits for its actor. Strings come from the course data (translated at build).
 */

var OUTBOX_DELAY_MS = 2000;

function Outbox(sender) {
  this.sender = sender;
  this.since = 0;
  var node = this.node = document.createElement("div");
  node.className = "mirco-outbox";
  node.setAttribute("role", "status");
  node.hidden = true;
  var style = node.style;
  style.position = "fixed";
  style.left = "0.5rem";
  style.pointerEvents = "none"; /* never in the way of the course's buttons */
  style.opacity = "0.92";
  style.bottom = "0.5rem";
  style.zIndex = "1000";
  style.maxWidth = DEBUG ? "min(48rem, 95vw)" : "20rem";
  style.maxHeight = "40vh";
  style.overflow = "auto";
  style.padding = "0.25rem 0.5rem";
  style.font = "0.8rem/1.4 system-ui, sans-serif";
  style.color = "#1f2328";
  style.background = "#fff8c5";
  style.border = "1px solid #d4a72c";
  style.borderRadius = "0.25rem";
  this.text = document.createElement("span");
  node.appendChild(this.text);
  this.list = null;
  if (DEBUG) {
    this.list = document.createElement("ol");
    this.list.style.margin = "0.25rem 0 0";
    this.list.style.paddingLeft = "1.25rem";
    node.appendChild(this.list);
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
