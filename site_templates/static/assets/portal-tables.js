/*
 * Marks a table (or a chart, on a phone) too wide for its box, so that the box says it scrolls
 * sideways (portal.css): on a phone a year's figures showed their first two columns, and nothing
 * told the reader that the figures were further right. Marked again when the window's size changes.
 */
(function () {
  "use strict";
  // A box that scrolls can be reached with the keyboard, and says what it holds to a screen
  // reader (axe: scrollable-region-focusable); one that does not is left as it was written.
  function mark() {
    document.querySelectorAll(".portal-table-wrap, .portal-chart__drawing").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("portal-table-wrap--scrolls", scrolls);
      // A chart of months or years opens on its newest end, with the hint pointing back: on a
      // phone the year's only deals (September) or this year's column were out of sight.
      var newestFirst = scrolls && box.querySelector("svg[data-axis='time']") !== null;
      box.classList.toggle("portal-table-wrap--from-end", newestFirst);
      if (newestFirst && !box.hasAttribute("data-scrolled")) {
        box.scrollLeft = box.scrollWidth;
        box.setAttribute("data-scrolled", "");
      }
      if (scrolls) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", box.classList.contains("portal-chart__drawing") ? "图表（可左右滑动）" : "表格（可左右滑动）");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
})();
