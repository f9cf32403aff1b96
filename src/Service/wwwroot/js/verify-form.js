// The verify form: the subscriber's fields are shown only when the patient is a dependent. Without JavaScript they
// are always shown, with a hint; the server ignores them for a subscriber.
(function () {
    "use strict";
    var relationship = document.getElementById("relationship");
    var subscriber = document.getElementById("subscriber-fields");
    if (!relationship || !subscriber) { return; }
    function update() {
        var dependent = relationship.value !== "self";
        subscriber.hidden = !dependent;
        subscriber.disabled = !dependent;
    }
    relationship.addEventListener("change", update);
    update();
}());
