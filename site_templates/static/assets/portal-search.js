/*
 * The search page, on Pagefind's JavaScript API (the index is built by the extended binary,
 * which segments Chinese).
 *
 * Chinese has no spaces, and the words Pagefind cut a page into at build time are not always
 * the words a reader's query is cut into: "团队所有权" may be indexed as 团队/所有/权 while the
 * query 所有权 stays whole (and Pagefind 1.5–1.6 misses some multi-word queries: its issue #1237).
 * So each query is searched in a few segmentations — as typed, split into words by the browser's
 * Intl.Segmenter, and every Chinese token of three to eight characters also cut in two at each
 * place — and the results are united.
 *
 * Pagefind 1.5 cuts every query it is given into words with Intl.Segmenter itself, and the
 * browser's dictionary is not the one the index was cut with: it cuts 赋权 into 赋/权, so the
 * word 赋权 of 先赋权后转化 was never looked up, and neither was a query "as typed". A
 * segmentation above is already cut, at its spaces: Pagefind's word segmenter cuts at spaces
 * and Chinese punctuation only (portal-words.js, loaded before this script and put at the head
 * of Pagefind's worker script), so Pagefind searches in its worker, off this page's thread. At
 * 50,000 records, on this page's thread a word on 40,000 pages held it in tasks of up to 2.6 s
 * (the search took 6.0 s); in the worker, up to 0.17 s (4.0 s), with the same results. Over a
 * "fast 3G" line the worker's script costs a second: first results for 稀土 after 15.9 s, 14.9 s
 * on this page's thread.
 */
(function () {
  "use strict";
  var root = document.querySelector(".portal-search-page");
  if (!root) return;
  var input = document.getElementById("portal-search-input");
  var sortSelect = document.getElementById("portal-search-sort");
  var filtersBox = document.getElementById("portal-search-filters");
  var filterPanel = root.querySelector(".portal-search-filterpanel");
  var filterToggle = document.getElementById("portal-search-filter-toggle");
  var statusLine = document.getElementById("portal-search-status");
  var list = document.getElementById("portal-search-results");
  var moreButton = document.getElementById("portal-search-more");
  var ARRIVING_MS = 600;  // longer than a double tap's two taps apart
  var FILTER_ORDER = ["类别", "单位", "公示类型", "状态", "年份", "地区", "成果类型", "赋权方式", "价格区间"];
  var PAGE_SIZE = 10;
  var MAX_VARIANTS = 24;
  // The first results checked for the query as typed, and put first when they hold it: a cut or a
  // word's beginning ranks pages above those that hold it (陈思远's two pages came 6th and 7th,
  // after five that hold only 陈). Each is one small file more to fetch before the first page.
  var CHECKED_FIRST = 20;
  var pagefind = null;
  var selected = {};
  var total = 0;
  var shownCount = 0;
  var takeMore = null;  // gives the next results to show, with their data
  // The query each result shown is checked against, when some hold it: those that hold only
  // part of it are marked. Null when none does (the status line says so) or in date order.
  var partialQuery = null;
  var generation = 0;
  var facetsLoaded = false;
  var searched = { query: "", options: {} };  // what the results on screen answer

  // The browser's own word segmenter, which portal-words.js has replaced for Pagefind.
  var BrowserSegmenter = window.portalWords ? window.portalWords.BrowserSegmenter : null;
  var segmenter = BrowserSegmenter ? new BrowserSegmenter("zh", { granularity: "word" }) : null;

  function words(term) {
    if (!segmenter) return term.split(/\s+/).filter(Boolean);
    var out = [];
    Array.from(segmenter.segment(term)).forEach(function (part) {
      if (part.isWordLike) out.push(part.segment);
    });
    return out;
  }

  function isChinese(text) { return /[\u3400-\u9fff]/.test(text); }

  // The segmentations of a query to try, as space-separated strings: each token as typed, as
  // the browser's segmenter cuts it, and (Chinese, 3 to 8 characters) cut in two at each place.
  function variants(query) {
    var seen = {};
    var result = [];
    function add(text) {
      text = text.trim();
      if (text && !seen[text] && result.length < MAX_VARIANTS) { seen[text] = true; result.push(text); }
    }
    var alternatives = query.split(/\s+/).filter(Boolean).map(function (token) {
      var options = [token, words(token).join(" ")];
      if (isChinese(token) && token.length >= 3 && token.length <= 8) {
        for (var cut = 1; cut < token.length; cut++) options.push(token.slice(0, cut) + " " + token.slice(cut));
      }
      return options.filter(function (option, index) { return option && options.indexOf(option) === index; });
    });
    var combos = [[]];
    alternatives.forEach(function (options) {
      var next = [];
      combos.forEach(function (combo) {
        options.forEach(function (option) { if (next.length < MAX_VARIANTS) next.push(combo.concat([option])); });
      });
      combos = next;
    });
    add(query);
    combos.forEach(function (combo) { add(combo.join(" ")); });
    return result;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Pagefind's excerpt is escaped text with <mark> around hits: keep only those tags.
  function safeExcerpt(html) {
    return escapeHtml(html).replace(/&lt;mark&gt;/g, "<mark>").replace(/&lt;\/mark&gt;/g, "</mark>");
  }

  function activeFilters() {
    var filters = {};
    Object.keys(selected).forEach(function (name) {
      var values = Object.keys(selected[name]).filter(function (value) { return selected[name][value]; });
      if (values.length) filters[name] = { any: values };
    });
    return filters;
  }

  // One fieldset per facet, most useful first; a value no result has is left out unless chosen.
  function renderFilters(available) {
    filtersBox.innerHTML = "";
    var names = Object.keys(available).sort(function (a, b) {
      var ia = FILTER_ORDER.indexOf(a), ib = FILTER_ORDER.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    });
    names.forEach(function (name) {
      var values = Object.keys(available[name]).sort().filter(function (value) {
        return available[name][value] > 0 || (selected[name] && selected[name][value]);
      });
      if (!values.length) return;
      var group = document.createElement("fieldset");
      group.className = "portal-filter";
      var legend = document.createElement("legend");
      legend.textContent = name;
      group.appendChild(legend);
      values.forEach(function (value) {
        var id = "filter-" + name + "-" + value;
        var row = document.createElement("div");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.id = id;
        box.checked = !!(selected[name] && selected[name][value]);
        box.addEventListener("change", function () {
          selected[name] = selected[name] || {};
          selected[name][value] = box.checked;
          run();
        });
        var label = document.createElement("label");
        label.htmlFor = id;
        label.textContent = value + "（" + available[name][value] + "）";
        row.appendChild(box);
        row.appendChild(label);
        group.appendChild(row);
      });
      filtersBox.appendChild(group);
    });
    var chosen = Object.keys(activeFilters()).length;
    filterToggle.textContent = chosen ? "筛选（已选 " + chosen + " 类）" : "筛选";
  }

  // A notice's status as of now, as its page shows it (portal-status.js), from the dates its
  // entry in the index carries ("start end HHhMM", "-" for no closing time; none once it has an
  // outcome): the index holds the status of the day it was built.
  function liveStatus(dates) {
    var live = window.portalStatus;
    if (!dates || !live || live.frozen()) return "";
    var parts = dates.split(" ");
    var endTime = parts[2] && parts[2] !== "-" ? parts[2].replace("h", ":") : null;
    return live.labels[live.statusFor(parts[0], parts[1], endTime, null, live.now())] || "";
  }

  // data-state on the page's root says when results are on screen ("done"), for scripts and tests.
  function setState(state) { root.setAttribute("data-state", state); }

  // A word no page holds, Pagefind answers with the pages holding its longest beginning that
  // some page does: xyzzy with the X of a patent number, 量子纠缠 with the 量 of 含水量. A page
  // answers a query in full when its text holds each of its words as the browser cuts them
  // (稀土浸取: 稀土 and 浸取, wherever they are; any width, any case); when none of the first
  // results does, the status line says so above them.
  function normalised(text) { return String(text).normalize("NFKC").toLowerCase().replace(/\s+/g, ""); }

  function holdsQuery(item, query) {
    // The facts a result shows (its kind, unit, status) are the index's metadata, not its text.
    var meta = item.meta || {};
    var text = normalised(Object.keys(meta).map(function (key) { return meta[key]; }).join(" ") + " " + (item.content || ""));
    return words(query).map(normalised).filter(Boolean).every(function (word) {
      return text.indexOf(word) >= 0;
    });
  }

  function partlyFound(query, count) {
    return "没有找到含“" + query + "”的内容。以下 " + count + " 条只含其中的一部分（如开头一两个字），" +
      "仅供参考；请换一个词，或只输入成果名称中的两三个字、专利号的数字部分。";
  }

  // The next page of results; `first`, for a search's first page: its status line is checked
  // against them (holdsQuery) before they are marked done.
  async function showMore(first) {
    var current = generation;
    setState("loading");
    var batch = await takeMore(PAGE_SIZE);
    if (current !== generation) return;  // a newer search shows its own
    shownCount += batch.length;
    // Not for results in date order, whose first are not the best; nor below a record's own link.
    if (first && !first.byDate && !first.named && !first.anyHolds) {
      statusLine.textContent = first.prefix + partlyFound(first.query, total);
    }
    batch.forEach(function (entry) {
      var item = entry.data;
      var isPartial = partialQuery !== null && !holdsQuery(item, partialQuery);
      var meta = item.meta || {};
      var facts = [meta.kind, meta.institution, meta.period, liveStatus(meta.dates) || meta.status].filter(Boolean);
      var li = document.createElement("li");
      li.className = "portal-search-result" + (first ? "" : " portal-search-result--arriving");
      li.innerHTML =
        '<a class="portal-search-result__title" href="' + escapeHtml(item.url) + '">' + escapeHtml(meta.title || item.url) + "</a>" +
        (isPartial ? '<span class="portal-search-result__partial">只含部分字词</span>' : "") +
        (facts.length ? '<div class="portal-search-result__facts">' + facts.map(escapeHtml).join(" · ") + "</div>" : "") +
        '<p class="portal-search-result__excerpt">' + safeExcerpt(item.excerpt || "") + "</p>";
      list.appendChild(li);
    });
    moreButton.hidden = shownCount >= total;
    if (!first) {
      // Results added by 显示更多结果 push the button down and take its place under the finger:
      // the second tap of a double tap opened one. They take taps a moment later.
      setTimeout(function () {
        list.querySelectorAll(".portal-search-result--arriving").forEach(function (item) {
          item.classList.remove("portal-search-result--arriving");
        });
      }, ARRIVING_MS);
    }
    setState("done");
  }

  // A record's id (gnas-2025-n03, printed on every record page) names one page: Pagefind finds
  // the id's pieces on many pages and ranked the record itself tenth. The page it names, if the
  // site has one, comes first, above the results. Null when it names none.
  var RECORD_FOLDERS = [["notices/", "公示"], ["achievements/", "成果"], ["institutions/", "试点单位"], ["policies/", "政策"]];
  // A notice's or an achievement's id: gnas-2025-n03, hbaat-2025-005.
  var RECORD_ID = /^[a-z0-9]+-[0-9]{4}-n?[0-9]+$/;

  function idOf(query) {
    var id = query.normalize("NFKC").trim().toLowerCase();  // a full-width －, upper case
    return /^[a-z0-9][a-z0-9-]{1,39}$/.test(id) && id.indexOf("-") >= 0 ? id : null;
  }

  // The folders an id may name a page in: an id numbered as notices and achievements are
  // (gnas-2025-n03, gnas-2025-003) is one of theirs, and a query of digits alone (a date,
  // 2025-09-22) names none. Each page asked for and missing is a 404 in the reader's console
  // (three for every notice's id, when all four folders were asked). Other ids, free as the
  // records allow, are asked of all four.
  function foldersFor(id) {
    if (/^[a-z0-9]+-[0-9]{4}-n[0-9]+$/.test(id)) return RECORD_FOLDERS.slice(0, 1);
    if (/^[a-z0-9]+-[0-9]{4}-[0-9]+$/.test(id)) return RECORD_FOLDERS.slice(1, 2);
    return /[a-z]/.test(id) ? RECORD_FOLDERS : [];
  }

  async function recordNamed(query) {
    var id = idOf(query);
    if (!id) return null;
    var siteRoot = new URL(root.getAttribute("data-site-root"), window.location.href);
    // All at once: each miss is a round trip.
    var found = await Promise.all(foldersFor(id).map(async function (folder) {
      var page = new URL(folder[0] + id + "/", siteRoot).href;
      try {
        var response = await fetch(page, { method: "HEAD" });
        return response.ok ? { url: page, label: folder[1], id: id } : null;
      } catch (error) {
        return null;  // offline: the results below still come
      }
    }));
    return found.filter(Boolean)[0] || null;
  }

  function showRecordNamed(record) {
    var li = document.createElement("li");
    li.className = "portal-search-result portal-search-result--record";
    li.innerHTML = '<a class="portal-search-result__title" href="' + escapeHtml(record.url) + '">' +
      "编号 " + escapeHtml(record.id) + " 的" + escapeHtml(record.label) + "</a>" +
      '<div class="portal-search-result__facts">按编号直达</div>';
    list.appendChild(li);
  }

  // The query searched in each of its segmentations, united: the results (by score, or in
  // Pagefind's date order) and, once the filter index is loaded, each facet value's count.
  // A result comes first by the first segmentation that found it (its tier), with that one's
  // score or place: the segmentations closest to what was typed come first (variants), and a cut
  // finds pages by any word that begins with its pieces (赣南科学院 cut as 赣南科 学院 finds
  // 赣南理工学院's pages). One after another: a newer search (`generation` past `current`) stops
  // this one, which returns null.
  async function searchAll(query, options, current) {
    var searches = [];
    for (var text of variants(query)) {
      searches.push(await pagefind.search(text, options));
      if (current !== generation) return null;
    }
    var byId = {};
    var order = [];
    var facets = {};
    searches.forEach(function (search, tier) {
      if (!search) return;
      search.results.forEach(function (result) {
        if (byId[result.id]) return;
        byId[result.id] = { result: result, score: result.score, tier: tier };
        order.push(result.id);
      });
      Object.keys(search.filters || {}).forEach(function (name) {
        facets[name] = facets[name] || {};
        Object.keys(search.filters[name]).forEach(function (value) {
          facets[name][value] = Math.max(facets[name][value] || 0, search.filters[name][value]);
        });
      });
    });
    var merged = order.map(function (id) { return byId[id]; });
    merged.sort(function (a, b) { return a.tier - b.tier || b.score - a.score; });
    var tiers = searches.map(function (search) { return search ? search.results : []; });
    return { results: merged.map(function (entry) { return entry.result; }), tiers: tiers, facets: facets };
  }

  // A result's data (its URL, title, metadata, and the excerpt of its own search's words),
  // fetched once however often it is asked for.
  var fetched = new WeakMap();
  function dataOf(result) {
    if (!fetched.has(result)) fetched.set(result, result.data());
    return fetched.get(result);
  }

  // The results in Pagefind's order, but the first CHECKED_FIRST checked: those that hold the
  // query as typed come first, the others after them.
  async function holdersFirst(results, query) {
    var checked = results.slice(0, CHECKED_FIRST);
    var data = await Promise.all(checked.map(dataOf));
    var holders = [];
    var others = [];
    checked.forEach(function (result, index) { (holdsQuery(data[index], query) ? holders : others).push(result); });
    return { results: holders.concat(others, results.slice(CHECKED_FIRST)), anyHolds: holders.length > 0 };
  }

  // The next `count` results of a list in this order.
  function inOrder(results) {
    var next = 0;
    return async function (count) {
      var batch = results.slice(next, next + count);
      next += batch.length;
      return Promise.all(batch.map(async function (result) { return { result: result, data: await dataOf(result) }; }));
    };
  }

  // The start day a notice's result carries ("2025-09-15 至 2025-09-30"): Pagefind's sort key
  // is not among the data it gives.
  function startOf(data) { return String((data.meta || {}).period || "").slice(0, 10); }

  // The next `count` results newest first, merged from each segmentation's results (each in
  // Pagefind's date order): only the first of each list not shown yet is fetched, so a word on
  // tens of thousands of pages costs a page's worth of files, not one for each.
  function newestFirst(tiers) {
    var seen = {};
    var heads = tiers.map(function () { return 0; });
    async function headOf(tier) {
      var results = tiers[tier];
      while (heads[tier] < results.length && seen[results[heads[tier]].id]) heads[tier]++;
      if (heads[tier] >= results.length) return null;
      var result = results[heads[tier]];
      return { tier: tier, result: result, data: await dataOf(result) };
    }
    // The list a result was taken from is likely to give the next ones too: theirs are asked for
    // at once, not one round trip after another (ten of them on a phone, for a page).
    function prefetch(tier) {
      tiers[tier].slice(heads[tier], heads[tier] + PAGE_SIZE).forEach(function (result) {
        dataOf(result).catch(function () {});  // a file that fails fails its own page, when shown
      });
    }
    return async function (count) {
      var out = [];
      while (out.length < count) {
        var candidates = (await Promise.all(tiers.map(function (_, tier) { return headOf(tier); }))).filter(Boolean);
        if (!candidates.length) break;
        candidates.sort(function (a, b) { return startOf(b.data).localeCompare(startOf(a.data)) || a.tier - b.tier; });
        var best = candidates[0];
        seen[best.result.id] = true;
        heads[best.tier]++;
        prefetch(best.tier);
        out.push({ result: best.result, data: best.data });
      }
      return out;
    };
  }

  function searchOptions() {
    var options = { filters: activeFilters() };
    if (sortSelect.value === "date") options.sort = { date: "desc" };
    return options;
  }

  function facetsFailed() {
    filtersBox.textContent = "筛选条件加载失败，请刷新页面再试。";
    root.setAttribute("data-facets", "failed");
  }

  // The facets of the results on screen, once the filter index has come: the first results do
  // not wait for it (on a phone, a large portal's filter files take seconds to arrive).
  async function showFacets() {
    var current = generation;
    var facets;
    try {
      if (!searched.query) facets = await pagefind.filters();
      else {
        var found = await searchAll(searched.query, searched.options, current);
        facets = found && found.facets;  // null: a newer search stopped this one
      }
    } catch (error) {
      facetsFailed();
      return;
    }
    if (current !== generation || !facets) return;  // a newer search shows its own
    renderFilters(facets);
    root.setAttribute("data-facets", "ready");
  }

  // A search that fails (Pagefind's worker gone, an index file that did not come) says so,
  // instead of leaving "searching" on screen; an older one failing leaves the newer's alone.
  async function run() {
    var current = ++generation;
    try {
      await search(current);
    } catch (error) {
      if (current !== generation) return;
      statusLine.textContent = "搜索出错，请刷新页面再试，或在“全部公示”中浏览。";
      setState("failed");
    }
  }

  // Letters, digits, the dot and the hyphen typed in full width (a Chinese input method's
  // ＺＬ２０２１…．７) are the index's half-width ones; Chinese punctuation stays: it parts words.
  function halfWidth(text) {
    return text.replace(/[\uff0d\uff0e\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, function (char) {
      return String.fromCharCode(char.charCodeAt(0) - 0xfee0);
    });
  }

  async function search(current) {
    var query = halfWidth(input.value.trim());
    list.innerHTML = "";
    moreButton.hidden = true;
    if (!pagefind) return;
    setState("searching");
    var withFacets = facetsLoaded;
    var options = searchOptions();
    searched = { query: query, options: options };
    if (!query) {
      statusLine.textContent = "";
      if (withFacets) {
        var all = await pagefind.filters();
        if (current !== generation) return;
        renderFilters(all);
      }
      setState("done");
      return;
    }
    statusLine.textContent = "正在搜索“" + query + "”……";
    var naming = recordNamed(query);  // beside the search, not before it
    var found = await searchAll(query, options, current);
    var named = await naming;
    if (current !== generation || !found) return;
    if (named) showRecordNamed(named);
    var id = idOf(query);
    var noSuchRecord = !named && id && RECORD_ID.test(id) ? "没有编号为“" + id + "”的公示或成果。" : "";
    shownCount = 0;
    partialQuery = null;
    total = found.results.length;
    var ordered = { results: found.results, anyHolds: true };
    if (options.sort) takeMore = newestFirst(found.tiers);
    else {
      ordered = await holdersFirst(found.results, query);
      if (current !== generation) return;
      partialQuery = ordered.anyHolds ? query : null;
      takeMore = inOrder(ordered.results);
    }
    if (withFacets) renderFilters(found.facets);
    else if (facetsLoaded) showFacets();  // the filter index came while this search ran
    if (!total && named) {
      statusLine.textContent = "";
      setState("done");
      return;
    }
    if (!total) {
      statusLine.textContent = noSuchRecord + "没有找到与“" + query + "”相关的内容。请换一个词，或只输入成果名称中的两三个字、专利号的数字部分；也可以取消左侧的筛选条件。";
      setState("done");
      return;
    }
    statusLine.textContent = noSuchRecord + "找到 " + total + " 条与“" + query + "”相关的结果" +
      (options.sort ? "（按开始日期排序只列出公示：成果、单位和政策的页面没有开始日期）" : "");
    await showMore({
      query: query, prefix: noSuchRecord, named: Boolean(named), byDate: Boolean(options.sort), anyHolds: ordered.anyHolds,
    });
  }

  // Once at a time: two pages asked for at once took the same results (a double tap on a phone).
  moreButton.addEventListener("click", function () {
    if (moreButton.disabled) return;
    moreButton.disabled = true;
    showMore(null).finally(function () { moreButton.disabled = false; });
  });
  // On a phone the facets fold behind one button, so the results come first on screen.
  filterToggle.addEventListener("click", function () {
    var open = filterPanel.classList.toggle("is-open");
    filterToggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  root.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value.trim());
    window.history.replaceState(null, "", url);
    run();
  });
  sortSelect.addEventListener("change", function () {
    var url = new URL(window.location.href);  // a link to the page keeps the order chosen
    if (sortSelect.value === "date") url.searchParams.set("sort", "date");
    else url.searchParams.delete("sort");
    window.history.replaceState(null, "", url);
    run();
  });
  var debounce = null;
  input.addEventListener("input", function () {
    clearTimeout(debounce);
    debounce = setTimeout(run, 300);
  });

  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  if (params.get("sort") === "date") sortSelect.value = "date";
  // Reached without a query (the header's search button): the box is ready to type in, and on a
  // phone its keyboard comes up.
  if (!input.value) input.focus();

  // A large portal's record pages are indexed in shards (pagefind/shards.json lists them, and is
  // empty for a small one): each is merged into the main index, and one search runs over all.
  // All at once, not one after the other: on a phone each shard waited for its own round trips.
  async function mergeShards(bundle, baseUrl) {
    var response = await fetch(new URL("shards.json", bundle).href);
    if (!response.ok) return;
    var manifest = await response.json();
    await Promise.all(manifest.shards.map(function (shard) {
      return pagefind.mergeIndex(new URL(shard, bundle).href, { baseUrl: baseUrl });
    }));
  }

  var bundle = new URL(root.getAttribute("data-bundle"), window.location.href);
  import(new URL("pagefind.js", bundle).href).then(async function (module) {
    pagefind = module;
    var baseUrl = new URL(root.getAttribute("data-site-root"), window.location.href).pathname;
    await pagefind.options({ baseUrl: baseUrl });
    await pagefind.init();
    await mergeShards(bundle, baseUrl);
    // Pagefind fills a search's filter counts only once the filter index is loaded. On a phone
    // its files (half a megabyte at 50,000 records) took the line the search's own few needed:
    // they are asked for once the first results are on screen, and the facets follow.
    // data-facets="ready" says they are.
    await run();
    try {
      await pagefind.filters();
    } catch (error) {
      facetsFailed();
      return;
    }
    facetsLoaded = true;
    await showFacets();
  }).catch(function () {
    statusLine.textContent = "搜索索引加载失败，请稍后再试，或在“全部公示”中浏览。";
    filtersBox.textContent = "";
    setState("failed");
  });
})();
