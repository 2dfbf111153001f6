// The check-in page at the door: scan a sign-up's QR code into the search box,
// and keep the counts current while several staff check people in.
(function () {
  "use strict";
  var root = document.querySelector(".checkin");
  if (!root) return;

  var countsUrl = root.dataset.countsUrl;
  function refreshCounts() {
    fetch(countsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (counts) {
        if (!counts) return;
        root.querySelectorAll("[data-count]").forEach(function (el) {
          var value = counts[el.dataset.count];
          if (value !== undefined) el.textContent = value;
        });
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }
  setInterval(refreshCounts, 5000);

  var startButton = document.getElementById("scan-start");
  var box = document.getElementById("scanner");
  var form = document.getElementById("checkin-search");
  var input = document.getElementById("q");
  var scanner = null;
  if (!startButton || typeof Html5Qrcode === "undefined") {
    if (startButton) startButton.hidden = true;
    return;
  }
  startButton.addEventListener("click", function () {
    if (scanner) return;
    box.hidden = false;
    scanner = new Html5Qrcode("scanner");
    scanner
      .start({ facingMode: "environment" }, { fps: 10, qrbox: 220 }, function (text) {
        // The QR code holds the private link; the server accepts it or the bare code.
        input.value = text;
        scanner.stop().finally(function () { form.submit(); });
      })
      .catch(function () {
        box.hidden = true;
        scanner = null;
        document.getElementById("scan-error").hidden = false;
      });
  });
})();
