/*
 * The page of an earlier version of a notice (/versions/?file=notices/<id>/versions/<commit>.txt):
 * it fetches that text file and shows it decoded as UTF-8, which a server sending text/plain
 * without a charset leaves the browser to guess (windows-1252, GBK: the Chinese came out garbled).
 * Only a version file of this site is read: the address names nothing else.
 */
(function () {
  "use strict";
  var root = document.querySelector(".portal-version-page");
  if (!root) return;
  var VERSION_FILE = /^notices\/([a-z0-9][a-z0-9-]{1,39})\/versions\/[0-9a-f]{12}\.txt$/;
  var file = new URLSearchParams(window.location.search).get("file") || "";
  var match = VERSION_FILE.exec(file);
  var about = document.getElementById("portal-version-about");
  var text = document.getElementById("portal-version-text");
  if (!match) {
    about.textContent = "地址里没有要显示的版本。请从公示页面的“修订记录”进入。";
    return;
  }
  var siteRoot = new URL(root.getAttribute("data-site-root"), window.location.href);
  var raw = new URL(file, siteRoot);
  var notice = new URL("notices/" + match[1] + "/", siteRoot);
  document.getElementById("portal-version-raw").href = raw.href;
  document.getElementById("portal-version-notice").href = notice.href;
  document.getElementById("portal-version-links").hidden = false;
  about.textContent = "公示 " + match[1] + " 在版本库中的一个历史版本（YAML 格式，与版本库中的文件逐字节相同）：";
  fetch(raw.href).then(function (response) {
    if (!response.ok) throw new Error(String(response.status));
    return response.arrayBuffer();
  }).then(function (bytes) {
    text.textContent = new TextDecoder("utf-8").decode(bytes);
    text.hidden = false;
    root.setAttribute("data-state", "done");
  }).catch(function () {
    about.textContent = "没有找到这个版本的原文文件。请从公示页面的“修订记录”重新进入。";
    root.setAttribute("data-state", "failed");
  });
})();
