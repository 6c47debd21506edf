/* hotspots.js: a labelled graphic. Numbered buttons placed in % over the image each open
   their label under it (Escape closes it); the list of every label stays for screen
   readers (shown when a link in it takes the focus, and in print under the numbered
   image). */
registerBlock("hotspots", function (block, items) {
  var image = block.querySelector("img");
  if (!image) {
    return;
  }
  var stage = element("div", "mirco-stage");
  var label = element("div", "mirco-ui mirco-label");
  var open = null;
  image.parentNode.insertBefore(stage, image);
  stage.appendChild(image);
  label.hidden = true;
  block.querySelector(".mirco-items").classList.add("mirco-sr");
  block.insertBefore(label, block.querySelector(".mirco-items"));
  var close = function () {
    if (open) {
      open.setAttribute("aria-expanded", false);
      label.hidden = true;
      open = null;
    }
  };
  items.forEach(function (it, i) {
    var spot = element("button", "mirco-spot", i + 1);
    spot.appendChild(element("span", "mirco-sr", " " + it.title.textContent));
    spot.setAttribute("aria-expanded", false);
    spot.setAttribute("aria-controls", idOf(label));
    spot.style.left = it.item.getAttribute("data-x") + "%";
    spot.style.top = it.item.getAttribute("data-y") + "%";
    spot.addEventListener("click", function () {
      var again = open === spot;
      close();
      if (!again) {
        open = spot;
        spot.setAttribute("aria-expanded", true);
        label.innerHTML = ("<p><strong>" + it.title.innerHTML + "</strong></p>" +
          it.body.innerHTML).replace(/ id="[^"]*"/g, "");
        label.hidden = false;
      }
    });
    stage.appendChild(spot);
  });
  block.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) {
      var spot = open;
      close();
      spot.focus();
    }
  });
});
