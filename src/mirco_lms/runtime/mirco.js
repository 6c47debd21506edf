/*
 * mirco learner runtime (minimal edition).
 *
 * Finds the LMS's SCORM API (2004 `API_1484_11` or 1.2 `API`, in parent frames, then in
 * the opener), initializes it once, shows the module's pages one at a time with
 * previous/next, remembers the page as the bookmark, marks the SCO completed on its
 * last page and terminates once when the page goes away. Without an LMS it runs
 * standalone and says that progress is not recorded. The quiz engine and xAPI come later.
 */
(function () {
  "use strict";

  var MAX_FRAMES = 20;

  function readCourse() {
    var node = document.getElementById("mirco-course");
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (err) {
      return {};
    }
  }

  function format(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }

  /* --- SCORM API discovery and a small adapter over both versions ------------------ */

  function searchFrames(win, name) {
    for (var hops = 0; win && hops <= MAX_FRAMES; hops += 1) {
      try {
        if (win[name]) {
          return win[name];
        }
      } catch (err) {
        return null; /* a cross-origin frame: stop climbing */
      }
      if (!win.parent || win.parent === win) {
        break;
      }
      win = win.parent;
    }
    return null;
  }

  function findApi(name) {
    var api = searchFrames(window, name);
    if (!api && window.opener) {
      api = searchFrames(window.opener, name);
    }
    if (!api && window.top && window.top.opener) {
      try {
        api = searchFrames(window.top.opener, name);
      } catch (err) {
        api = null;
      }
    }
    return api;
  }

  function scorm2004(api) {
    return {
      version: "2004",
      initialize: function () { return String(api.Initialize("")) === "true"; },
      get: function (key) { return api.GetValue(key); },
      set: function (key, value) { return api.SetValue(key, String(value)); },
      commit: function () { return api.Commit(""); },
      terminate: function () { return api.Terminate(""); },
      keys: {
        location: "cmi.location",
        status: "cmi.completion_status",
        exit: "cmi.exit",
        entry: "cmi.entry"
      },
      completed: function (status) { return status === "completed"; }
    };
  }

  function scorm12(api) {
    return {
      version: "1.2",
      initialize: function () { return String(api.LMSInitialize("")) === "true"; },
      get: function (key) { return api.LMSGetValue(key); },
      set: function (key, value) { return api.LMSSetValue(key, String(value)); },
      commit: function () { return api.LMSCommit(""); },
      terminate: function () { return api.LMSFinish(""); },
      keys: {
        location: "cmi.core.lesson_location",
        status: "cmi.core.lesson_status",
        exit: "cmi.core.exit",
        entry: "cmi.core.entry"
      },
      completed: function (status) {
        return status === "completed" || status === "passed" || status === "failed";
      }
    };
  }

  function connect() {
    var api = findApi("API_1484_11");
    if (api) {
      return scorm2004(api);
    }
    api = findApi("API");
    return api ? scorm12(api) : null;
  }

  /* --- the session: initialize once, terminate once -------------------------------- */

  function Session(lms) {
    this.lms = lms;
    this.active = false;
    this.done = false;
    this.complete = false;
  }

  Session.prototype.start = function () {
    if (!this.lms || !this.lms.initialize()) {
      this.lms = null;
      return false;
    }
    this.active = true;
    var status = this.lms.get(this.lms.keys.status);
    this.complete = this.lms.completed(status);
    if (!this.complete) {
      this.lms.set(this.lms.keys.status, "incomplete");
    }
    return true;
  };

  Session.prototype.bookmark = function () {
    return this.active ? this.lms.get(this.lms.keys.location) : "";
  };

  Session.prototype.save = function (pageId, last) {
    if (!this.active) {
      return;
    }
    this.lms.set(this.lms.keys.location, pageId);
    if (last && !this.complete) {
      this.complete = true;
      this.lms.set(this.lms.keys.status, "completed");
    }
    this.lms.commit();
  };

  Session.prototype.finish = function () {
    if (!this.active || this.done) {
      return;
    }
    this.done = true;
    this.lms.set(this.lms.keys.exit, this.complete ? (this.lms.version === "2004" ? "normal" : "") : "suspend");
    this.lms.commit();
    this.lms.terminate();
  };

  /* --- one page at a time ------------------------------------------------------------ */

  function Pager(root, strings, session) {
    this.pages = Array.prototype.slice.call(root.querySelectorAll("[data-page]"));
    this.strings = strings;
    this.session = session;
    this.bar = root.querySelector(".mirco-pager");
    this.current = -1;
  }

  Pager.prototype.indexOf = function (pageId) {
    for (var i = 0; i < this.pages.length; i += 1) {
      if (this.pages[i].getAttribute("data-page") === pageId) {
        return i;
      }
    }
    return -1;
  };

  Pager.prototype.show = function (index, focus) {
    if (index < 0 || index >= this.pages.length) {
      return;
    }
    for (var i = 0; i < this.pages.length; i += 1) {
      this.pages[i].hidden = i !== index;
    }
    this.current = index;
    var last = index === this.pages.length - 1;
    if (this.bar) {
      this.bar.hidden = this.pages.length < 2;
      this.bar.querySelector("[data-action=previous]").disabled = index === 0;
      this.bar.querySelector("[data-action=next]").disabled = last;
      this.bar.querySelector(".mirco-progress").textContent = format(
        this.strings.pageOf || "{current} / {total}",
        { current: index + 1, total: this.pages.length }
      );
    }
    var page = this.pages[index];
    this.session.save(page.getAttribute("data-page"), last);
    if (focus) {
      var heading = page.querySelector("h1, h2") || page;
      heading.setAttribute("tabindex", "-1");
      heading.focus();
      window.scrollTo(0, 0);
    }
  };

  Pager.prototype.bind = function (doc) {
    var self = this;
    doc.addEventListener("click", function (event) {
      var target = event.target.closest("[data-action], [data-page-link], [data-move]");
      if (!target) {
        return;
      }
      var action = target.getAttribute("data-action");
      if (action === "next" || action === "previous") {
        self.show(self.current + (action === "next" ? 1 : -1), true);
      } else if (target.hasAttribute("data-page-link")) {
        var index = self.indexOf(target.getAttribute("data-page-link"));
        if (index >= 0) {
          event.preventDefault();
          self.show(index, true);
        }
      } else if (target.hasAttribute("data-move")) {
        moveItem(target);
      }
    });
  };

  /* Ordering questions: move an item up or down, keeping keyboard focus on its button. */
  function moveItem(button) {
    var item = button.closest("[data-item]");
    var up = button.getAttribute("data-move") === "up";
    var other = item && (up ? item.previousElementSibling : item.nextElementSibling);
    if (!other) {
      return;
    }
    item.parentNode.insertBefore(item, up ? other : other.nextElementSibling);
    button.focus();
  }

  function status(root, text) {
    var node = root.querySelector(".mirco-status");
    if (node && text) {
      node.textContent = text;
      node.hidden = false;
    }
  }

  function start() {
    var course = readCourse();
    var strings = course.strings || {};
    var session = new Session(connect());
    if (!session.start()) {
      status(document, strings.noLms);
    }
    var pager = new Pager(document, strings, session);
    pager.bind(document);
    var resume = pager.indexOf(session.bookmark());
    var hash = pager.indexOf((window.location.hash || "").replace(/^#page-/, ""));
    pager.show(hash >= 0 ? hash : Math.max(resume, 0), false);
    document.documentElement.classList.add("mirco-js");
    window.addEventListener("pagehide", function () { session.finish(); });
    window.addEventListener("beforeunload", function () { session.finish(); });
    window.mirco = { course: course, session: session, pager: pager };
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
