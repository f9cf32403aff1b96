// The print page's button; without JavaScript the browser's own Print command works the same.
(function () {
    "use strict";
    var button = document.getElementById("print-button");
    if (button) { button.addEventListener("click", function () { window.print(); }); }
}());
