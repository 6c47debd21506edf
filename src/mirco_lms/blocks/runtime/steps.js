/* steps.js: a process shown one step at a time, with Previous and Next; the new step's
   heading takes the focus and "Step 2 of 5" is announced. */
registerBlock("steps", function (block, items) {
  var nav = element("div", "mirco-ui mirco-steps-nav");
  var back = element("button", "", t("previous"));
  var where = element("p", "", "");
  var next = element("button", "", t("next"));
  var at = 0;
  where.setAttribute("aria-live", "polite");
  var show = function (step, focus) {
    at = step;
    items.forEach(function (it, i) {
      it.item.hidden = i !== step;
      it.item.value = i + 1;
    });
    back.disabled = step === 0;
    next.disabled = step === items.length - 1;
    where.textContent = t("stepOf", { current: step + 1, total: items.length });
    if (focus) {
      items[step].title.tabIndex = -1;
      items[step].title.focus();
    }
  };
  back.addEventListener("click", function () { show(at - 1, true); });
  next.addEventListener("click", function () { show(at + 1, true); });
  nav.appendChild(back);
  nav.appendChild(where);
  nav.appendChild(next);
  block.appendChild(nav);
  show(0);
});
