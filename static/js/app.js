// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("has-js");

  // The phone menu: the button opens and closes the navigation (CSS hides it on narrow screens).
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("menu-utama");
  if (toggle && nav) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    });
  }

  // A workshop's management tabs scroll sideways on a phone: bring the current tab into view.
  var strip = document.querySelector(".manage-nav-strip");
  var current = strip && strip.querySelector(".is-current");
  if (current && strip.scrollWidth > strip.clientWidth) {
    strip.scrollLeft = current.offsetLeft - (strip.clientWidth - current.offsetWidth) / 2;
  }

  // A double-clicked submit button sends one request: disable it once the form is on its way.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    window.setTimeout(function () {
      if (event.defaultPrevented) return; // a script stopped it (e.g. to ask first): nothing is sent
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });
})();
