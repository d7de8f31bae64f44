// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("has-js");

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
