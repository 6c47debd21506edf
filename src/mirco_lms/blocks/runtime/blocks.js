/*
 * blocks.js: the interactive blocks (mirco_lms/blocks). Each kind's module (<kind>.js,
 * named as the container) registers a function that makes one block interactive; it is
 * called on every block of its kind when the course starts. Without this script the
 * blocks stay what the build wrote: headings and their text, all shown.
 */

var BLOCKS = {};
var blockCount = 0;

function registerBlock(name, enhance) {
  BLOCKS[name] = enhance;
}

/** `node`'s id, given one if it has none. */
function idOf(node) {
  return node.id || (node.id = "mirco-b" + (blockCount += 1));
}

function element(tag, className, text) {
  var node = document.createElement(tag);
  node.className = className || "";
  if (tag === "button") {
    node.type = "button";
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** The sections of `block`: {item, title, body} each (not those of blocks nested in it). */
function blockItems(block) {
  var list = block.querySelector(".mirco-items");
  return [].filter.call(list ? list.children : [], function (item) {
    return item.classList.contains("mirco-item");
  }).map(function (item) {
    return { item: item, title: item.children[0], body: item.children[1] };
  });
}

/** The section's title becomes a button that shows or hides its body (aria-expanded). */
function toggles(block, items) {
  items.forEach(function (it) {
    var button = element("button");
    while (it.title.firstChild) {
      button.appendChild(it.title.firstChild);
    }
    it.title.appendChild(button);
    button.setAttribute("aria-controls", idOf(it.body));
    var set = function (open) {
      button.setAttribute("aria-expanded", open);
      it.body.hidden = !open;
      it.item.classList.toggle("mirco-open", open);
    };
    set(false);
    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
  });
}

on("started", function () {
  $$("[data-block]").forEach(function (block) {
    var enhance = BLOCKS[block.getAttribute("data-block")];
    if (enhance) {
      enhance(block, blockItems(block));
    }
  });
});
