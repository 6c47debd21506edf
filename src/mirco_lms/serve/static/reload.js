/* mirco preview: reload the page when the project was rebuilt (polls /_preview/status). */
(function () {
  "use strict";
  var seen = document.body.getAttribute("data-generation");
  function poll() {
    fetch("/_preview/status", { cache: "no-store" }).then(function (r) { return r.json(); })
      .then(function (status) {
        if (String(status.generation) !== seen) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
