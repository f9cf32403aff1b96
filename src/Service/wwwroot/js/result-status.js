// Progressive enhancement for a pending verification: ask our own status endpoint every 2.5 s and reload the page
// when the status changes. Without JavaScript the page's <noscript> meta refresh does the same, more coarsely.
(function () {
    "use strict";
    var root = document.getElementById("result");
    if (!root) { return; }
    var url = root.getAttribute("data-status-url");
    var shown = root.getAttribute("data-status");
    var stopped = false;

    function check() {
        if (stopped) { return; }
        fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
            .then(function (response) {
                if (response.status === 401 || response.status === 403) { stopped = true; window.location.reload(); return null; }
                return response.ok ? response.json() : null;
            })
            .then(function (body) {
                if (body && body.status !== shown) { stopped = true; window.location.reload(); return; }
                window.setTimeout(check, 2500);
            })
            .catch(function () { window.setTimeout(check, 5000); });
    }

    window.setTimeout(check, 2500);
}());
