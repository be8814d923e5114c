// newsprism: light progressive enhancement. Pages work without this file; with it, a click on a
// citation marker opens its card (cited sentence + outlet) in place instead of leaving the page.
// Only classes and attributes change here: no text is ever inserted as HTML.
(function () {
  "use strict";

  function closeAll(except) {
    document.querySelectorAll(".cite.open").forEach(function (el) {
      if (el !== except) {
        el.classList.remove("open");
        var mark = el.querySelector(".cite-mark");
        if (mark) mark.setAttribute("aria-expanded", "false");
      }
    });
  }

  // Keep a card inside the window: shift it left when the marker sits near the right edge.
  function place(wrap) {
    var card = wrap.querySelector(".cite-card");
    if (!card) return;
    card.style.left = "0px";
    var rect = card.getBoundingClientRect();
    var overflow = rect.right - (document.documentElement.clientWidth - 8);
    if (overflow > 0) card.style.left = -Math.min(overflow, rect.left - 8) + "px";
  }

  document.addEventListener("mouseover", function (event) {
    var wrap = event.target.closest ? event.target.closest(".cite") : null;
    if (wrap) place(wrap);
  });

  document.addEventListener("focusin", function (event) {
    var wrap = event.target.closest ? event.target.closest(".cite") : null;
    if (wrap) place(wrap);
  });

  document.addEventListener("click", function (event) {
    var mark = event.target.closest ? event.target.closest(".cite-mark") : null;
    if (mark) {
      event.preventDefault();
      var wrap = mark.parentElement;
      var opening = !wrap.classList.contains("open");
      closeAll(wrap);
      wrap.classList.toggle("open", opening);
      if (opening) place(wrap);
      mark.setAttribute("aria-expanded", opening ? "true" : "false");
      return;
    }
    if (!(event.target.closest && event.target.closest(".cite-card"))) closeAll(null);
  });

  // Escape hides an open card even while focus stays in it (it opens on focus-within).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    closeAll(null);
    var wrap = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest(".cite") : null;
    if (wrap) wrap.classList.add("dismissed");
  });

  document.addEventListener("focusout", function (event) {
    var wrap = event.target.closest ? event.target.closest(".cite") : null;
    if (wrap && !wrap.contains(event.relatedTarget)) wrap.classList.remove("dismissed");
  });

  // On an article page opened from a citation, bring the cited words into view.
  var cited = document.getElementById("cited");
  if (cited && cited.scrollIntoView) cited.scrollIntoView({ block: "center" });
})();
