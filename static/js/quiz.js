// The quiz page, enhanced: every answer is saved as it is given; an answer that cannot be sent
// (offline, server error) is kept in this browser and sent again when the connection returns.
// The page works without this file (a normal form post saves the page). The timer only shows
// the time the server computed: the server decides when time is up.
(function () {
  "use strict";

  var PREFIX = "lokalatih.quiz.";
  var RETRY_MS = 5000;

  function openStorage() {
    try {
      var storage = window.localStorage;
      storage.setItem(PREFIX + "probe", "1");
      storage.removeItem(PREFIX + "probe");
      return storage;
    } catch (error) {
      return null; // private mode or disabled: keep answers in memory for this page only
    }
  }

  var store = openStorage();
  var memory = {};

  function keysWithPrefix(prefix) {
    var keys = [];
    if (store) {
      for (var i = 0; i < store.length; i += 1) {
        var key = store.key(i);
        if (key && key.indexOf(prefix) === 0) keys.push(key);
      }
    } else {
      Object.keys(memory).forEach(function (key) {
        if (key.indexOf(prefix) === 0) keys.push(key);
      });
    }
    return keys;
  }

  function removeKey(key) {
    if (store) store.removeItem(key);
    else delete memory[key];
  }

  // The result page: the attempt is over, nothing of it needs to stay in this browser.
  var done = document.querySelector("[data-attempt-done]");
  if (done) {
    keysWithPrefix(PREFIX + done.getAttribute("data-attempt-done") + ".").forEach(removeKey);
    return;
  }

  var form = document.getElementById("quiz-form");
  if (!form) return;

  var attemptId = form.getAttribute("data-attempt-id");
  var saveUrl = form.getAttribute("data-save-url");
  var text = {
    saved: form.getAttribute("data-saved-text"),
    unsaved: form.getAttribute("data-unsaved-text"),
    saving: form.getAttribute("data-saving-text"),
    offline: form.getAttribute("data-offline-text"),
    timeUp: form.getAttribute("data-time-up-text")
  };
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var token = tokenMeta ? tokenMeta.getAttribute("content") : "";
  var banner = document.getElementById("quiz-unsaved-banner");
  var errorBox = document.getElementById("quiz-error");
  var inFlight = {};
  var stopped = false; // the server refused for good (time is up, or already submitted)
  var attemptPrefix = PREFIX + attemptId + ".";

  function storageKey(questionId) {
    return attemptPrefix + questionId;
  }

  function readLocal(questionId) {
    var raw = store ? store.getItem(storageKey(questionId)) : memory[storageKey(questionId)];
    try {
      return raw ? JSON.parse(raw) : null;
    } catch (error) {
      return null;
    }
  }

  function writeLocal(questionId, entry) {
    var raw = JSON.stringify(entry);
    if (store) {
      try {
        store.setItem(storageKey(questionId), raw);
        return;
      } catch (error) {
        // storage full: fall back to memory
      }
    }
    memory[storageKey(questionId)] = raw;
  }

  function pendingIds() {
    return keysWithPrefix(attemptPrefix).map(function (key) {
      return key.slice(attemptPrefix.length);
    });
  }

  function fieldsetOf(questionId) {
    return form.querySelector('[data-question-id="' + questionId + '"]');
  }

  function selectedKeys(fieldset) {
    return Array.prototype.map
      .call(fieldset.querySelectorAll("input:checked"), function (input) {
        return input.value;
      })
      .sort();
  }

  function sameKeys(a, b) {
    return a.length === b.length && a.every(function (key, i) { return key === b[i]; });
  }

  function setState(questionId, label, unsaved) {
    var fieldset = fieldsetOf(questionId);
    if (!fieldset) return;
    var state = fieldset.querySelector("[data-save-state]");
    if (state) state.textContent = label;
    fieldset.classList.toggle("quiz-unsaved", unsaved);
  }

  function updateBanner() {
    if (banner) banner.hidden = pendingIds().length === 0;
  }

  function showError(message) {
    if (!errorBox || !message) return;
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function errorOf(response) {
    return response.json().then(function (body) {
      return body && body.error;
    }, function () {
      return null;
    });
  }

  function finish(questionId, sent, outcome) {
    inFlight[questionId] = false;
    var current = readLocal(questionId);
    if (outcome === "saved" && current && current.changed === sent.changed) {
      removeKey(storageKey(questionId));
      setState(questionId, text.saved, false);
    } else if (outcome === "refused") {
      removeKey(storageKey(questionId)); // the server will never take it: do not retry
      setState(questionId, text.unsaved, true);
    } else if (current) {
      setState(questionId, text.unsaved, true);
      if (outcome === "saved") send(questionId); // changed again while the first save was out
    }
    updateBanner();
  }

  function send(questionId) {
    if (stopped || inFlight[questionId]) return;
    var entry = readLocal(questionId);
    if (!entry) return;
    inFlight[questionId] = true;
    setState(questionId, text.saving, true);
    fetch(saveUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual", // a login redirect is a failure, not a success
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": token
      },
      body: JSON.stringify({ question_id: Number(questionId), selected: entry.selected })
    })
      .then(function (response) {
        if (response.ok) return "saved";
        if (response.status === 409) {
          stopped = true;
          return errorOf(response).then(function (message) {
            showError(message);
            return "failed";
          });
        }
        if (response.status === 400) {
          return errorOf(response).then(function (message) {
            if (!message) return "failed"; // not our refusal (e.g. an expired form token): retry
            showError(message);
            return "refused";
          });
        }
        return "failed";
      }, function () {
        return "failed"; // offline or the server could not be reached
      })
      .then(function (outcome) {
        finish(questionId, entry, outcome);
      });
  }

  function flush() {
    pendingIds().forEach(send);
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("[data-question-id]");
    if (!fieldset) return;
    var questionId = fieldset.getAttribute("data-question-id");
    writeLocal(questionId, {
      selected: selectedKeys(fieldset),
      changed: String(Date.now()) + "-" + String(Math.random()).slice(2)
    });
    setState(questionId, text.unsaved, true);
    updateBanner();
    send(questionId);
  });

  form.addEventListener("submit", function (event) {
    if (navigator.onLine === false) {
      event.preventDefault();
      event.stopPropagation(); // keeps app.js from disabling the buttons
      showError(text.offline);
    }
  });

  // Answers left in this browser by an earlier visit: show them again and send them.
  pendingIds().forEach(function (questionId) {
    var fieldset = fieldsetOf(questionId);
    var entry = readLocal(questionId);
    if (!fieldset || !entry || !Array.isArray(entry.selected)) {
      removeKey(storageKey(questionId));
      return;
    }
    if (sameKeys(selectedKeys(fieldset), entry.selected.slice().sort())) {
      removeKey(storageKey(questionId)); // the server already has it
      return;
    }
    fieldset.querySelectorAll("input").forEach(function (input) {
      input.checked = entry.selected.indexOf(input.value) !== -1;
    });
    setState(questionId, text.unsaved, true);
  });
  updateBanner();
  flush();
  window.addEventListener("online", flush);
  window.setInterval(flush, RETRY_MS);

  // Submitting with unanswered questions asks first and says how many (the time-up submit does not).
  var submitButton = document.getElementById("quiz-submit-button");
  var confirmDialog = document.getElementById("quiz-confirm");
  var progress = document.getElementById("quiz-progress");
  var confirmed = false;
  var timeIsUp = false;

  function unansweredCount() {
    var count = 0;
    form.querySelectorAll("fieldset[data-question-id]").forEach(function (fieldset) {
      if (!fieldset.querySelector("input:checked")) count += 1;
    });
    return count;
  }

  function showProgress() {
    if (!progress || !confirmDialog) return;
    var total = Number(progress.getAttribute("data-total"));
    progress.textContent = confirmDialog.getAttribute("data-progress-text")
      .replace("{answered}", String(total - unansweredCount())).replace("{total}", String(total));
  }
  form.addEventListener("change", showProgress);

  if (submitButton && confirmDialog && typeof confirmDialog.showModal === "function") {
    form.addEventListener("submit", function (event) {
      var missing = unansweredCount();
      if (event.submitter !== submitButton || confirmed || timeIsUp || missing === 0) return;
      event.preventDefault();
      document.getElementById("quiz-confirm-count").textContent = missing === 1
        ? confirmDialog.getAttribute("data-text-one")
        : confirmDialog.getAttribute("data-text-many").replace("{count}", String(missing));
      confirmDialog.showModal();
    });
    document.getElementById("quiz-confirm-back").addEventListener("click", function () {
      confirmDialog.close();
      var fieldsets = form.querySelectorAll("fieldset[data-question-id]");
      for (var i = 0; i < fieldsets.length; i += 1) {
        if (!fieldsets[i].querySelector("input:checked")) {
          var input = fieldsets[i].querySelector("input");
          fieldsets[i].scrollIntoView({ block: "center" });
          if (input) input.focus();
          break;
        }
      }
    });
    document.getElementById("quiz-confirm-send").addEventListener("click", function () {
      confirmed = true;
      confirmDialog.close();
      if (form.requestSubmit) form.requestSubmit(submitButton); else submitButton.click();
    });
  }

  // The countdown: display only.
  var clock = document.getElementById("quiz-remaining");
  if (clock) {
    var total = Number(clock.getAttribute("data-remaining-seconds")) || 0;
    var shownAt = Date.now();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var timer = window.setInterval(function () {
      var left = Math.max(0, total - Math.floor((Date.now() - shownAt) / 1000));
      var hours = Math.floor(left / 3600);
      var minutes = Math.floor((left % 3600) / 60);
      clock.textContent = (hours ? hours + ":" + pad(minutes) : String(minutes)) + ":" + pad(left % 60);
      if (left === 0) {
        window.clearInterval(timer);
        timeIsUp = true;
        showError(text.timeUp);
        var submit = form.querySelector("button[formaction]");
        if (submit && navigator.onLine !== false && form.requestSubmit) form.requestSubmit(submit);
      }
    }, 1000);
  }
})();
