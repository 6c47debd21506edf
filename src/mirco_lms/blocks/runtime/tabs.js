/* tabs.js: one section shown at a time behind a tab list (WAI-ARIA APG tabs: arrow keys,
   Home and End move between tabs and select them; right and left as seen, also in
   right-to-left pages). */
registerBlock("tabs", function (block, items) {
  var list = element("div", "mirco-ui mirco-tablist");
  list.setAttribute("role", "tablist");
  var tabs = items.map(function (it) {
    var tab = element("button", "", it.title.textContent);
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", idOf(it.item));
    it.item.setAttribute("role", "tabpanel");
    it.item.setAttribute("aria-labelledby", idOf(tab));
    it.item.tabIndex = 0;
    it.title.hidden = true;
    list.appendChild(tab);
    return tab;
  });
  var select = function (at, focus) {
    tabs.forEach(function (tab, i) {
      tab.setAttribute("aria-selected", i === at);
      tab.tabIndex = i === at ? 0 : -1;
      items[i].item.hidden = i !== at;
    });
    if (focus) {
      tabs[at].focus();
    }
  };
  list.addEventListener("click", function (event) {
    var at = tabs.indexOf(event.target.closest("[role=tab]"));
    if (at >= 0) {
      select(at);
    }
  });
  list.addEventListener("keydown", function (event) {
    var at = tabs.indexOf(event.target);
    var n = tabs.length;
    var step = getComputedStyle(list).direction === "rtl" ? n - 1 : 1; /* as they are seen */
    var to = { ArrowRight: at + step, ArrowLeft: at + n - step, Home: 0, End: n - 1 }[event.key];
    if (at >= 0 && to !== undefined) {
      event.preventDefault();
      select(to % n, true);
    }
  });
  block.insertBefore(list, block.querySelector(".mirco-items"));
  select(0);
});
