// /docs: Swagger UI draws its code examples as scrollable blocks that a keyboard cannot reach;
// give each a tab stop as it appears (a long example then scrolls with the arrow keys). The
// request body editor of "Try it out" has no label: name it.
(function () {
  "use strict";
  function reachable() {
    document.querySelectorAll(".swagger-ui .microlight:not([tabindex])").forEach(function (el) {
      el.setAttribute("tabindex", "0");
    });
    document.querySelectorAll(".swagger-ui .body-param textarea:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "Request body");
    });
  }
  new MutationObserver(reachable).observe(document.documentElement, { childList: true, subtree: true });
})();
