// The check-in screen follows the rotating code, its QR, the count and the latest arrivals
// without reloading, shows no code outside the check-in window, and can fill the projector.
// Without this file the page reloads itself after each change (a meta refresh inside <noscript>).
(function () {
  "use strict";
  var screen = document.querySelector(".checkin-screen[data-status-url]");
  if (!screen || !window.fetch) {
    return;
  }
  var statusUrl = screen.getAttribute("data-status-url");
  var live = screen.querySelectorAll("[data-live]");
  var qr = document.getElementById("checkin-qr");
  var code = document.getElementById("checkin-code");
  var seconds = document.getElementById("checkin-seconds");
  var countdown = document.getElementById("checkin-countdown");
  var refreshing = document.getElementById("checkin-refreshing");
  var count = document.getElementById("checkin-count");
  var confirmed = document.getElementById("checkin-confirmed");
  var recent = document.getElementById("checkin-recent");
  var phases = screen.querySelectorAll(".checkin-phase");
  var fullscreen = document.getElementById("checkin-fullscreen");
  var POLL_MS = 3000;
  var shownCode = code.getAttribute("data-code");
  var deadline = Date.now() + Number(seconds.textContent) * 1000;

  function tick() {
    var left = Math.ceil((deadline - Date.now()) / 1000);
    // Past the change the shown code is stale: say it is being renewed, never "0 detik".
    var stale = left <= 0;
    if (!stale) {
      seconds.textContent = String(left);
    }
    countdown.hidden = stale;
    refreshing.hidden = !stale;
    code.classList.toggle("stale", stale);
    qr.classList.toggle("stale", stale);
  }

  function showRecent(names) {
    var items = names.length ? names : [null];
    recent.textContent = "";
    items.forEach(function (name) {
      var item = document.createElement("li");
      if (name === null) {
        item.className = "muted";
        item.textContent = recent.getAttribute("data-empty");
      } else {
        item.textContent = name;
      }
      recent.appendChild(item);
    });
  }

  function apply(state) {
    screen.setAttribute("data-phase", state.phase);
    live.forEach(function (part) {
      part.hidden = !state.open;
    });
    phases.forEach(function (note) {
      note.hidden = note.getAttribute("data-phase") !== state.phase;
    });
    if (state.open && state.code !== shownCode) {
      qr.src = state.qr_url; // the step number in the address defeats any cache
      code.textContent = state.display_code;
      code.setAttribute("data-code", state.code);
    }
    shownCode = state.code;
    count.textContent = String(state.checked_in);
    confirmed.textContent = String(state.confirmed);
    showRecent(state.recent);
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
        // Keep the last state (marked stale by tick); the next poll tries again.
      })
      .then(schedule);
  }

  if (fullscreen && document.fullscreenEnabled) {
    fullscreen.hidden = false;
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        screen.requestFullscreen();
      }
    });
    document.addEventListener("fullscreenchange", function () {
      var on = document.fullscreenElement === screen;
      fullscreen.textContent = fullscreen.getAttribute(on ? "data-leave" : "data-enter");
    });
  }

  window.setInterval(tick, 1000);
  schedule();
})();
