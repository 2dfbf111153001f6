// The event list's full filters are folded away (<details>) so that a phone
// shows the events first; on a wide screen there is room, so they open.
// Without JavaScript they stay folded and open with one tap.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 992px)");
  function apply() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      if (wide.matches) {
        details.open = true;
      }
    });
  }
  apply();
  wide.addEventListener("change", apply);
})();
