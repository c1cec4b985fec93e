// Progressive touches only: everything works without this file.
(function () {
  "use strict";
  // On a phone, start with the filters folded below their "Filters" button so that the results come first.
  var filters = document.querySelector("details.filters");
  if (filters && window.matchMedia("(max-width: 50rem)").matches) {
    filters.open = false;
  }
  // Changing the sort re-runs the search at once.
  var sort = document.getElementById("sort");
  if (sort && sort.form) {
    sort.addEventListener("change", function () { sort.form.submit(); });
  }
  // In a document view, bring the highlighted source sentence into view and give it focus for screen readers.
  var source = document.getElementById("source");
  if (source) {
    source.setAttribute("tabindex", "-1");
    source.scrollIntoView({ block: "center" });
    source.focus({ preventScroll: true });
  }
})();
