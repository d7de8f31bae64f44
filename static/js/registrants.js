// The registrant list's "select all on this page": ticks every row's box. The page works
// without it (the server reads "all on this page" as every row shown), so the two must agree:
// unticking one row unticks "all".
(function () {
  "use strict";
  var all = document.getElementById("all-on-page");
  if (!all) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("input.row-pick"));
  all.addEventListener("change", function () {
    rows.forEach(function (box) { box.checked = all.checked; });
  });
  rows.forEach(function (box) {
    box.addEventListener("change", function () {
      all.checked = rows.every(function (other) { return other.checked; });
    });
  });
})();
