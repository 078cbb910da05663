/*
 * Marks a table too wide for the screen, so that its box says it scrolls sideways (portal.css):
 * on a phone a year's figures showed their first two columns, and nothing told the reader that
 * the figures were further right. Marked again when the window changes size.
 */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".portal-table-wrap").forEach(function (box) {
      box.classList.toggle("portal-table-wrap--scrolls", box.scrollWidth > box.clientWidth + 1);
    });
  }
  mark();
  window.addEventListener("resize", mark);
})();
