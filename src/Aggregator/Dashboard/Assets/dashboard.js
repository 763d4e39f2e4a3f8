// Supply Oracle dashboard: progressive enhancement only. Every page is complete without this script. With it, the page
// listens to /dashboard/events (server-sent events) and, when the aggregator's state moves (a round's events, a pause),
// fetches the same page again and swaps its <main>, keeping the keyboard focus and the scroll position.
"use strict";
(function () {
  var main = document.getElementById("main");
  var live = document.getElementById("live");
  if (!main || !window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }
  var state = main.getAttribute("data-state");
  if (!state) {
    return;
  }
  var busy = false;
  var again = false;

  function say(text) {
    if (live) {
      live.textContent = text;
    }
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(window.location.href, { headers: { "Accept": "text/html" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, "text/html").getElementById("main");
        if (!next) {
          return;
        }
        var focusedId = document.activeElement && document.activeElement.id;
        var x = window.scrollX, y = window.scrollY;
        main.innerHTML = next.innerHTML;
        state = next.getAttribute("data-state");
        main.setAttribute("data-state", state);
        if (focusedId && document.getElementById(focusedId)) {
          document.getElementById(focusedId).focus({ preventScroll: true });
        }
        window.scrollTo(x, y);
        say("Live: updated " + new Date().toLocaleTimeString() + ".");
        document.dispatchEvent(new CustomEvent("dashboard:updated", { detail: { state: state } }));
      })
      .catch(function () {
        say("Live: could not refresh; will retry on the next change.");
      })
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  var source = new EventSource("/dashboard/events");
  source.addEventListener("open", function () {
    say("Live: connected.");
  });
  source.addEventListener("state", function (event) {
    if (event.data !== state) {
      refresh();
    }
  });
  source.addEventListener("error", function () {
    say("Live: reconnecting…");
  });
  window.addEventListener("pagehide", function () {
    source.close();
  });
})();
