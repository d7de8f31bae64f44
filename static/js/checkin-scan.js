// After scanning the venue's QR: press "Catat kehadiran" once, by itself. The page still asks for
// nothing more than that button without this file, and a GET never records a check-in.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (!form) {
    return;
  }
  var key = "lokalatih.checkin-autosubmitted." + form.getAttribute("data-autosubmit");
  try {
    if (window.sessionStorage.getItem(key)) {
      return; // once per scanned code: going back to this page does not send it again
    }
    window.sessionStorage.setItem(key, "1");
  } catch (error) {
    return;
  }
  if (form.requestSubmit) {
    form.requestSubmit();
  } else {
    form.submit();
  }
})();
