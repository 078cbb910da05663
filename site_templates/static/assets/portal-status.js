/*
 * Keeps notice statuses true between builds: every badge and countdown carries its dates as
 * data attributes, and this script recomputes them for the reader's current time in China
 * Standard Time (UTC+8, no daylight saving). Without JavaScript the build-time status shows.
 * A frozen build (the bundled example) keeps the statuses of its reference date. A notice's
 * status is followed, in print only, by the moment it held (a printout is read days later).
 */
(function () {
  "use strict";
  var LABELS = { scheduled: "即将开始", open: "公示中", closed: "已截止", concluded: "已办结", withdrawn: "已撤回" };
  // An achievement at the noticed stage, by its notice's status (derive.NOTICED_LABELS).
  var STAGE_LABELS = {
    scheduled: "即将公示", open: "公示中", closed: "公示期满，待公布结果", concluded: "已公示", withdrawn: "公示已撤回",
  };
  var CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
  var DAY_MS = 24 * 60 * 60 * 1000;

  function frozenMeta() {
    var meta = document.querySelector('meta[name="portal-frozen"]');
    return meta && meta.getAttribute("content") === "true" ? meta : null;
  }

  // The current moment as "China wall-clock" milliseconds: a date's midnight in China is n * DAY_MS.
  function chinaNow() { return Date.now() + CHINA_OFFSET_MS; }

  function dayStart(isoDate) {
    var parts = isoDate.split("-");
    return Date.UTC(+parts[0], +parts[1] - 1, +parts[2]);
  }

  function closesAt(endDate, endTime) {
    var end = dayStart(endDate);
    if (endTime) {
      var hm = endTime.split(":");
      return end + (+hm[0]) * 3600000 + (+hm[1]) * 60000;
    }
    return end + DAY_MS;
  }

  function statusFor(start, end, endTime, outcome, now) {
    if (outcome) return outcome;
    if (now < dayStart(start)) return "scheduled";
    if (now < closesAt(end, endTime)) return "open";
    return "closed";
  }

  function statusOf(element, now) {
    return statusFor(element.getAttribute("data-start"), element.getAttribute("data-end"),
      element.getAttribute("data-end-time"), element.getAttribute("data-outcome"), now);
  }

  function countdownText(element, now, status) {
    if (status === "open") {
      var today = Math.floor(now / DAY_MS) * DAY_MS;
      var end = dayStart(element.getAttribute("data-end"));
      var left = Math.round((end - today) / DAY_MS) + 1;
      if (left <= 1) return "今天" + (element.getAttribute("data-end-time") || "24:00") + "截止";
      return "剩余 " + left + " 天";
    }
    if (status === "scheduled") {
      var start = dayStart(element.getAttribute("data-start"));
      var days = Math.ceil((start - now) / DAY_MS);
      return days + " 天后开始";
    }
    return "";
  }

  function twoDigits(number) { return (number < 10 ? "0" : "") + number; }

  function chineseDate(year, month, day) { return +year + "年" + +month + "月" + +day + "日"; }

  // A printed notice says when its status held: now, in China, or a frozen build's reference date.
  function statusDateText(now, frozen) {
    if (frozen) {
      var today = frozen.getAttribute("data-today");
      return today ? "（状态截至" + chineseDate.apply(null, today.split("-")) + "）" : "";
    }
    var moment = new Date(now);
    var day = chineseDate(moment.getUTCFullYear(), moment.getUTCMonth() + 1, moment.getUTCDate());
    var time = twoDigits(moment.getUTCHours()) + ":" + twoDigits(moment.getUTCMinutes());
    return "（状态截至" + day + " " + time + " 北京时间）";
  }

  // For the search page, whose results carry a notice's dates (portal-search.js).
  window.portalStatus = {
    statusFor: statusFor,
    labels: LABELS,
    now: chinaNow,
    frozen: function () { return Boolean(frozenMeta()); },
  };

  function refresh() {
    var frozen = frozenMeta();
    var now = chinaNow();
    document.querySelectorAll("[data-portal-status-date]").forEach(function (element) {
      element.textContent = statusDateText(now, frozen);
    });
    if (frozen) return;
    document.querySelectorAll("[data-portal-status]").forEach(function (element) {
      var status = statusOf(element, now);
      element.textContent = LABELS[status];
      element.className = "portal-status portal-status--" + status;
    });
    document.querySelectorAll("[data-portal-over]").forEach(function (element) {
      var status = statusOf(element, now);
      var receiving = status === "scheduled" || status === "open";
      element.hidden = receiving;
      element.textContent = status === "withdrawn" ? "本公示已撤回，不再受理异议。" : "公示期已结束，不再受理异议。";
      var box = element.closest(".portal-objections");
      if (box) box.classList.toggle("portal-objections--over", !receiving);
    });
    document.querySelectorAll("[data-portal-invite]").forEach(function (element) {
      var status = statusOf(element, now);
      element.hidden = !(status === "scheduled" || status === "open");
    });
    document.querySelectorAll("[data-portal-stage]").forEach(function (element) {
      element.textContent = STAGE_LABELS[statusOf(element, now)];
    });
    document.querySelectorAll("[data-portal-countdown]").forEach(function (element) {
      var status = statusOf(element, now);
      element.textContent = countdownText(element, now, status);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
  setInterval(refresh, 60 * 1000);
  window.addEventListener("beforeprint", refresh);  // the minute it is printed
})();
