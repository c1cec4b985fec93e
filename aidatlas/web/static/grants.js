// Progressive touches for the grants pages; everything works without this file.
(function () {
  "use strict";
  // Beside a deadline shown in the call's time zone, the same moment in the visitor's own time and UTC offset.
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  document.querySelectorAll("time.deadline[data-utc]").forEach(function (el) {
    var when = new Date(el.getAttribute("data-utc"));
    if (isNaN(when.getTime())) { return; }
    var minutes = -when.getTimezoneOffset();
    var sign = minutes >= 0 ? "+" : "-";
    var abs = Math.abs(minutes);
    var local = when.getFullYear() + "-" + pad(when.getMonth() + 1) + "-" + pad(when.getDate()) + " " +
      pad(when.getHours()) + ":" + pad(when.getMinutes());
    var hint = el.nextElementSibling;
    if (hint && hint.classList.contains("local-hint")) {
      // the label comes translated from the page (data-label), so the script holds no text of its own
      hint.textContent = "— " + (hint.getAttribute("data-label") || "your time") + ": " + local + " (UTC" + sign + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60) + ")";
    }
  });
})();
