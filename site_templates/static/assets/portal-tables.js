/*
 * Marks a table (or a chart, on a phone) too wide for its box, so that the box says it scrolls
 * sideways (portal.css): on a phone a year's figures showed their first two columns, and nothing
 * told the reader that the figures were further right. Marked again when the window's size changes.
 */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".portal-table-wrap, .portal-chart__drawing").forEach(function (box) {
      box.classList.toggle("portal-table-wrap--scrolls", box.scrollWidth > box.clientWidth + 1);
    });
  }
  mark();
  window.addEventListener("resize", mark);
})();
