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
    if (/\.(women|pledge)$/.test(key)) {
      return arrow + (diff > 0 ? "+" : "") + (diff * 100).toFixed(1) + " pp at " + clock();
    }
    return arrow + (diff > 0 ? "+" : "") + diff.toLocaleString("en-GB", { maximumFractionDigits: 0 }) + " at " + clock();
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
      say("Updated at " + clock() + " · data changed " + (feed.last_changed || ""), false);
    });
  }

  function check() {
    fetch(feedUrl, { cache: "no-cache" }).then(function (response) {
      if (!response.ok) { throw new Error("feed " + response.status); }
      return response.json();
    }).then(function (feed) {
      failures = 0;
      if (feed.version !== version) { return update(feed); }
      say("Live · checked at " + clock(), false);
    }).catch(function () {
      failures += 1;
      say("Connection lost · showing the last figures · retrying", true);
    }).then(function () {
      setTimeout(check, next() * Math.min(6, 1 + failures));
    });
  }

  // A room that opened the link together would otherwise ask together, every time.
  function next() { return poll * (0.8 + 0.4 * Math.random()); }

  setTimeout(check, next());
})();
