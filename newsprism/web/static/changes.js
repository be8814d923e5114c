// newsprism: "What's new since your last visit", without an account. The browser keeps the
// time it last showed each story (local storage); on a return visit, when the story changed
// since then, the page is reloaded with ?since=<that time> and the server lists what is new.
// Only the address changes here: no text is inserted into the page.
(function () {
  "use strict";
  var section = document.getElementById("changes");
  if (!section || !window.URL) return;
  var key = "newsprism:seen:" + section.getAttribute("data-story");
  var previous = null;
  try {
    previous = window.localStorage.getItem(key);
    window.localStorage.setItem(key, new Date().toISOString());
  } catch (error) {
    return; // storage refused (private mode, policy): the page stays as served
  }
  var address = new URL(window.location.href);
  if (!previous || address.searchParams.has("since")) return;
  var latest = Number(section.getAttribute("data-latest") || "0");
  var seen = Date.parse(previous);
  if (!isNaN(seen) && latest > seen) {
    address.searchParams.set("since", previous);
    address.hash = "changes";
    window.location.replace(address.toString());
  }
})();
