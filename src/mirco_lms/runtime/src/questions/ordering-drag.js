/*
 * questions/ordering-drag.js: ordering by drag and drop. A pointer (mouse, pen, touch)
 * drags an item by its handle; from the keyboard, Space (or Enter) on a handle grabs the
 * item, the arrow keys move it, Space drops it, Escape puts it back, leaving the handle
 * drops it. Every step is said in the question's live region. The move buttons stay (for
 * assistive technology that clicks rather than types). The answer is read from the items'
 * order as before (sequencing.js); a drop tells the player with a "change" event.
 */

var grabbed = null;

/** Say `key` about `item` (its text, position and the list's length) in the live region. */
function sayOrder(item, key) {
  var items = $$("[data-item]", item.parentNode);
  var live = $("[data-order-live]", item.closest("[data-question]"));
  if (live) {
    live.textContent = t(key, { item: nodeText($(".mirco-item-text", item)),
      position: items.indexOf(item) + 1, total: items.length });
  }
}

/** Move `item` one step (`down` or up) by moving its neighbour: the item keeps its focus. */
function stepItem(item, down) {
  var other = down ? item.nextElementSibling : item.previousElementSibling;
  if (other) {
    item.parentNode.insertBefore(other, down ? item : item.nextElementSibling);
  }
  return other;
}

function grab(handle) {
  var item = handle.closest("[data-item]");
  grabbed = { item: item, handle: handle, next: item.nextElementSibling };
  item.classList.add("mirco-grabbed");
  handle.setAttribute("aria-pressed", "true");
  sayOrder(item, "grabbed");
}

/** Drop the grabbed item where it is (or, with `cancel`, where it was). */
function drop(cancel) {
  var g = grabbed;
  grabbed = null;
  g.item.classList.remove("mirco-grabbed");
  g.handle.setAttribute("aria-pressed", "false");
  if (cancel) {
    g.item.parentNode.insertBefore(g.item, g.next);
    g.handle.focus();
  } else if (g.next !== g.item.nextElementSibling) {
    g.item.dispatchEvent(new Event("change", { bubbles: true }));
  }
  sayOrder(g.item, cancel ? "cancelled" : "dropped");
}

/* On window: after player.js (on document) has moved an item for a move button. */
window.addEventListener("click", function (event) {
  var handle = event.target.closest("[data-grab]");
  var button = event.target.closest("[data-move]");
  if (handle && !event.detail) { /* a key or assistive technology, not a pointer */
    if (grabbed) {
      drop();
    } else {
      grab(handle);
    }
  } else if (button) {
    sayOrder(button.closest("[data-item]"), "moved");
  }
});

document.addEventListener("keydown", function (event) {
  var key = event.key;
  if (!grabbed || event.target !== grabbed.handle) {
    return;
  }
  if (key === "Escape") {
    drop(true);
  } else if (/^Arrow/.test(key)) {
    if (stepItem(grabbed.item, /Down|Right/.test(key))) {
      sayOrder(grabbed.item, "moved");
    }
  } else {
    return;
  }
  event.preventDefault();
});

document.addEventListener("focusout", function (event) {
  if (grabbed && event.target === grabbed.handle) {
    drop();
  }
});

document.addEventListener("pointerdown", function (event) {
  var handle = event.target.closest("[data-grab]");
  if (!handle || event.button || grabbed) {
    return;
  }
  event.preventDefault();
  handle.focus({ preventScroll: true });
  handle.setPointerCapture(event.pointerId);
  grab(handle);
  var item = grabbed.item;
  /* whether the pointer is past the middle of `other` (going `down` or up) */
  function past(other, e, down) {
    var box = other && other.getBoundingClientRect();
    return box && e.clientY > box.top + box.height / 2 === down;
  }
  handle.onpointermove = function (e) { /* one step for every neighbour passed */
    while (past(item.previousElementSibling, e, false) ? stepItem(item, false) :
      past(item.nextElementSibling, e, true) && stepItem(item, true)) {
      /* stepped */
    }
  };
  handle.onpointerup = handle.onpointercancel = function (e) {
    handle.onpointermove = handle.onpointerup = handle.onpointercancel = null;
    drop(e.type === "pointercancel");
  };
});
