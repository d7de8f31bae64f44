// Profile form: changing the province loads its kabupaten/kota without a page reload.
// Without this file the "Tampilkan kabupaten/kota" button asks the server for the same list.
(function () {
  "use strict";

  function init(fieldset) {
    var province = fieldset.querySelector("select[name=province_code]");
    var regency = fieldset.querySelector("select[name=regency_code]");
    var button = fieldset.querySelector("[name=choose_province]");
    var urlTemplate = fieldset.getAttribute("data-regencies-url");
    if (!province || !regency || !urlTemplate || !window.fetch) {
      return;
    }
    var latest = 0; // a slow answer for an earlier choice must not overwrite a newer one

    function fill(regions, placeholder) {
      var options = [new Option(placeholder, "")];
      regions.forEach(function (region) {
        options.push(new Option(region.name, region.code));
      });
      regency.replaceChildren.apply(regency, options);
      regency.value = "";
    }

    function fallBackToServer() {
      if (button) {
        button.hidden = false;
      }
    }

    province.addEventListener("change", function () {
      var code = province.value;
      var request = ++latest;
      if (!code) {
        fill([], fieldset.getAttribute("data-placeholder-empty") || "");
        return;
      }
      regency.setAttribute("aria-busy", "true");
      fetch(urlTemplate.replace("KODE", encodeURIComponent(code)), {
        credentials: "omit", // public data: no cookie, so the browser may cache the answer
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (regions) {
          if (request === latest) {
            fill(regions, fieldset.getAttribute("data-placeholder-choose") || "");
          }
        })
        .catch(function () {
          if (request === latest) {
            fallBackToServer();
          }
        })
        .then(function () {
          if (request === latest) {
            regency.removeAttribute("aria-busy");
          }
        });
    });

    if (button) {
      button.hidden = true;
    }
  }

  document.querySelectorAll("[data-region-select]").forEach(init);
})();
