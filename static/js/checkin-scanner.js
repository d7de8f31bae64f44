// The organizer's scanner for participants' personal QR codes, made for venues with poor
// connectivity: every scan is first kept in this browser (localStorage) and then sent; a scan
// leaves the queue only when the server has acknowledged it. Sending twice records nothing twice.
// Without this file (or a camera) the form below the scanner records one typed QR text.
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  if (!root || !window.fetch || !window.localStorage) {
    return;
  }
  root.hidden = false; // shown only where this script runs
  var PREFIX = "LLQR1:";
  var BATCH = 50;
  var SAME_SCAN_MS = 5000; // a QR held in front of the camera is read many times a second
  var RETRY_MS = 10000;
  var MAX_RESULTS = 10;

  var batchUrl = root.getAttribute("data-batch-url");
  var queueKey = root.getAttribute("data-queue-key");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrfToken = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var video = document.getElementById("scanner-video");
  var message = document.getElementById("scanner-message");
  var queueSize = document.getElementById("scanner-queue-size");
  var results = document.getElementById("scanner-results");
  var sendButton = document.getElementById("scanner-send");
  var count = document.getElementById("scanner-count");
  var lastSeen = {};
  var sending = false;

  function text(name) {
    return root.getAttribute("data-text-" + name) || "";
  }

  function say(words) {
    message.textContent = words;
  }

  function loadQueue() {
    try {
      var queue = JSON.parse(window.localStorage.getItem(queueKey) || "[]");
      return Array.isArray(queue) ? queue : [];
    } catch (error) {
      return [];
    }
  }

  function saveQueue(queue) {
    window.localStorage.setItem(queueKey, JSON.stringify(queue));
    queueSize.textContent = String(queue.length);
  }

  function showResult(result) {
    var item = document.createElement("li");
    item.className = "scan-" + result.status;
    item.textContent = result.message;
    results.insertBefore(item, results.firstChild);
    while (results.children.length > MAX_RESULTS) {
      results.removeChild(results.lastChild);
    }
  }

  function acknowledge(data) {
    var done = {};
    data.results.forEach(function (result) {
      done[result.token] = true;
      showResult(result);
    });
    // Scans made while this request was on its way are still in the queue: keep them.
    saveQueue(loadQueue().filter(function (token) {
      return !done[token];
    }));
    if (count && typeof data.checked_in === "number") {
      count.textContent = String(data.checked_in);
    }
  }

  function flush() {
    var queue = loadQueue();
    queueSize.textContent = String(queue.length);
    if (sending || !queue.length) {
      return;
    }
    if (navigator.onLine === false) {
      say(text("offline"));
      return;
    }
    sending = true;
    fetch(batchUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken,
      },
      body: JSON.stringify({ tokens: queue.slice(0, BATCH) }),
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        acknowledge(data);
        say("");
        sending = false;
        if (loadQueue().length) {
          flush();
        }
      })
      .catch(function () {
        sending = false;
        say(navigator.onLine === false ? text("offline") : text("send-failed"));
      });
  }

  function queueScan(scanned) {
    if (!scanned || scanned.indexOf(PREFIX) !== 0) {
      return;
    }
    var now = Date.now();
    if (lastSeen[scanned] && now - lastSeen[scanned] < SAME_SCAN_MS) {
      return;
    }
    lastSeen[scanned] = now;
    var queue = loadQueue();
    if (queue.indexOf(scanned) === -1) {
      queue.push(scanned);
      saveQueue(queue);
    }
    say(text("scanned"));
    flush();
  }

  function startCamera() {
    if (!window.QrScanner || !video) {
      say(text("no-camera"));
      return;
    }
    say(text("starting"));
    var scanner = new window.QrScanner(
      video,
      function (result) {
        queueScan(result && result.data !== undefined ? result.data : result);
      },
      { returnDetailedScanResult: true, preferredCamera: "environment" }
    );
    scanner.start().then(
      function () {
        say("");
      },
      function () {
        say(text("no-camera"));
      }
    );
  }

  sendButton.addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.setInterval(flush, RETRY_MS);
  flush();
  startCamera();
})();
