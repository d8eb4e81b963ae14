// The audience view's live numbers: polls the small feed (answered 304 while nothing changed),
// and when the data version moves, swaps in the fresh slides and marks the numbers that changed.
// Network errors keep the last view on screen and retry with a growing pause.
(function () {
  "use strict";
  var deck = document.getElementById("deck");
  var status = document.getElementById("status");
  if (!deck || !window.fetch) { return; }
  var feedUrl = deck.getAttribute("data-feed");
  var pageUrl = deck.getAttribute("data-page");
  var poll = Math.max(2, Number(deck.getAttribute("data-poll")) || 5) * 1000;
  var version = Number(deck.getAttribute("data-version"));
  var failures = 0;
  // The page's words in its language, with {fields} to fill (English when absent).
  var words = {
    checked: "Live \u00B7 checked at {time}",
    updated: "Updated at {time} \u00B7 data changed {changed}",
    lost: "Connection lost \u00B7 showing the last figures \u00B7 retrying",
    points: "{change} pp at {time}",
    count: "{change} at {time}"
  };
  try {
    var given = JSON.parse(deck.getAttribute("data-words") || "{}");
    for (var name in given) {
      if (Object.prototype.hasOwnProperty.call(words, name)) { words[name] = String(given[name]); }
    }
  } catch (error) { /* keep the English words */ }
  var lang = document.documentElement.lang || "en";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function written(value, digits) {
    var options = { minimumFractionDigits: digits, maximumFractionDigits: digits };
    try { return value.toLocaleString(lang, options); } catch (error) {
      return value.toLocaleString("en-GB", options);
    }
  }

  function clock() {
    return new Date().toLocaleTimeString([], {
      hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false
    });
  }

  function say(text, offline) {
    if (!status) { return; }
    status.textContent = text;
    status.className = offline ? "status offline" : "status";
  }

  function tileValues() {
    var values = {};
    var tiles = deck.querySelectorAll("[data-tile]");
    for (var i = 0; i < tiles.length; i++) {
      values[tiles[i].getAttribute("data-tile")] = tiles[i].getAttribute("data-raw");
    }
    return values;
  }

  function markText(key, before, after) {
    var diff = Number(after) - Number(before);
    var arrow = diff > 0 ? "\u25B2 " : "\u25BC ";
    var sign = diff > 0 ? "+" : "";
    if (/\.(women|pledge)$/.test(key)) {
      return arrow + fill(words.points, { change: sign + written(diff * 100, 1), time: clock() });
    }
    return arrow + fill(words.count, { change: sign + written(diff, 0), time: clock() });
  }

  function update(feed) {
    var before = tileValues();
    return fetch(pageUrl, { cache: "no-cache" }).then(function (response) {
      if (!response.ok) { throw new Error("page " + response.status); }
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("deck");
      if (!fresh) { throw new Error("no deck in page"); }
      deck.innerHTML = fresh.innerHTML;
      version = Number(fresh.getAttribute("data-version"));
      var tiles = deck.querySelectorAll("[data-tile]");
      for (var i = 0; i < tiles.length; i++) {
        var key = tiles[i].getAttribute("data-tile");
        var now = tiles[i].getAttribute("data-raw");
        if (before[key] !== undefined && before[key] !== "" && now !== "" && before[key] !== now) {
          tiles[i].classList.add("changed");
          tiles[i].querySelector(".mark").textContent = markText(key, before[key], now);
        }
      }
      say(fill(words.updated, { time: clock(), changed: feed.last_changed || "" }), false);
    });
  }

  function check() {
    fetch(feedUrl, { cache: "no-cache" }).then(function (response) {
      if (!response.ok) { throw new Error("feed " + response.status); }
      return response.json();
    }).then(function (feed) {
      failures = 0;
      if (feed.version !== version) { return update(feed); }
      say(fill(words.checked, { time: clock() }), false);
    }).catch(function () {
      failures += 1;
      say(words.lost, true);
    }).then(function () {
      setTimeout(check, next() * Math.min(6, 1 + failures));
    });
  }

  // A room that opened the link together would otherwise ask together, every time.
  function next() { return poll * (0.8 + 0.4 * Math.random()); }

  setTimeout(check, next());
})();
