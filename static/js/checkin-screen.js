// The check-in screen follows the rotating code, its QR and the count without reloading.
// Without this file the page reloads itself after each change (a meta refresh inside <noscript>).
(function () {
  "use strict";
  var screen = document.querySelector(".checkin-screen[data-status-url]");
  if (!screen || !window.fetch) {
    return;
  }
  var statusUrl = screen.getAttribute("data-status-url");
  var qr = document.getElementById("checkin-qr");
  var code = document.getElementById("checkin-code");
  var seconds = document.getElementById("checkin-seconds");
  var count = document.getElementById("checkin-count");
  var confirmed = document.getElementById("checkin-confirmed");
  var closed = document.getElementById("checkin-closed");
  var POLL_MS = 3000;
  var shownCode = code.getAttribute("data-code");
  var deadline = Date.now() + Number(seconds.textContent) * 1000;

  function tick() {
    seconds.textContent = String(Math.max(0, Math.ceil((deadline - Date.now()) / 1000)));
  }

  function apply(state) {
    if (state.code !== shownCode) {
      shownCode = state.code;
      qr.src = state.qr_url; // the step number in the address defeats any cache
      code.textContent = state.display_code;
      code.setAttribute("data-code", state.code);
    }
    count.textContent = String(state.checked_in);
    confirmed.textContent = String(state.confirmed);
    closed.hidden = state.open;
    deadline = Date.now() + state.seconds_left * 1000;
    tick();
  }

  function schedule() {
    // Poll every few seconds, and just after the code changes so the new one shows at once.
    var untilChange = deadline - Date.now() + 250;
    window.setTimeout(poll, Math.max(250, Math.min(POLL_MS, untilChange)));
  }

  function poll() {
    fetch(statusUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(apply)
      .catch(function () {
        // Keep showing the last code; the next poll tries again.
      })
      .then(schedule);
  }

  window.setInterval(tick, 1000);
  schedule();
})();
