/*
 * The word segmenter Pagefind cuts a search query with (see portal-search.js): a word is what
 * lies between spaces and Chinese punctuation; graphemes, and any other granularity, are the
 * browser's. The browser's own word segmenter cuts 赋权 into 赋/权, a word the index holds whole.
 *
 * Loaded by the search page before portal-search.js, and put at the head of Pagefind's worker
 * script when the index is built (generator/search_index.py), so that the query is cut the same
 * way in the worker, where Pagefind searches, off the page's thread. It keeps the browser's own
 * segmenter as self.portalWords.BrowserSegmenter: the search page makes its segmentations with it.
 */
(function (scope) {
  "use strict";
  if (scope.portalWords || !scope.Intl || !Intl.Segmenter) return;
  var BrowserSegmenter = Intl.Segmenter;
  // What parts a typed word: spaces, and Chinese punctuation (、，。（）“” and the like), which
  // Pagefind would drop from inside a word, gluing 赣南科学院（示例） into one no page holds. Not
  // ASCII punctuation: the dot of 2019101234567.8 belongs to the number.
  var BETWEEN_WORDS = /([\s\u2018-\u201f\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+)/;

  function typedWordsSegmenter(locale, options) {
    if (!options || options.granularity !== "word") return new BrowserSegmenter(locale, options);
    return {
      segment: function (text) {
        return String(text).split(BETWEEN_WORDS).filter(Boolean).map(function (part) {
          return { segment: part, isWordLike: !BETWEEN_WORDS.test(part) };
        });
      },
    };
  }
  scope.portalWords = { BrowserSegmenter: BrowserSegmenter };
  Intl.Segmenter = typedWordsSegmenter;
})(self);
