// Reloads the page every data-seconds (default 5) while it shows work in progress (a running batch), keeping the
// reader's place. No inline script: the Content-Security-Policy allows only our own files.
(function () {
    var script = document.currentScript;
    var seconds = Number(script && script.dataset.seconds) || 5;
    window.setTimeout(function () {
        sessionStorage.setItem('refresh-scroll', String(window.scrollY));
        window.location.reload();
    }, seconds * 1000);
    var y = sessionStorage.getItem('refresh-scroll');
    if (y !== null) {
        sessionStorage.removeItem('refresh-scroll');
        window.scrollTo(0, Number(y));
    }
})();
