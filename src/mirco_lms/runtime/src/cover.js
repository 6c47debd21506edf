/*
 * cover.js: the cover page, the first page of a package. Start stays the plain link the
 * page was built with (to the next page); when the learner has progress, Resume replaces
 * it, names the page where they stopped and goes back there.
 */

/** Wire the cover (`resume`: index of the stored page, -1 if none); the page to show first. */
Player.prototype.cover = function (resume) {
  var self = this;
  var page = this.pages[0];
  if (!page || page.getAttribute("data-kind") !== "cover") {
    return Math.max(resume, 0);
  }
  var start = $("[data-cover=start]", page);
  var button = $("[data-cover=resume]", page);
  var where = $("[data-cover=where]", page);
  if (start) {
    start.addEventListener("click", function (event) {
      event.preventDefault();
      self.show(1, true);
    });
  }
  if (resume > 0 && start && button && where) {
    start.hidden = true;
    button.hidden = false;
    where.hidden = false;
    where.textContent = t("stoppedAt", { title: (this.pageData[resume] || {}).title || "" });
    button.addEventListener("click", function () { self.show(resume, true); });
  }
  return 0;
};
