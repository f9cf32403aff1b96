// "Verify Coverage Today": shows the consent from the service, solves its small proof-of-work, sends the request and
// shows only the acknowledgement. No third-party code; everything typed here goes only to the service.
(function () {
    "use strict";
    var form = document.getElementById("verify");
    var api = form.dataset.api;
    var consent = null;
    var solution = null;
    var fields = {
        "patient.firstName": "firstName", "patient.lastName": "lastName", "patient.dateOfBirth": "dateOfBirth",
        "insurance.payerId": "payer", "insurance.payerName": "payerName", "insurance.memberId": "memberId",
        "insurance.groupNumber": "groupNumber", "insurance": "payer", "contact.phone": "phone", "contact.email": "email",
        "contact.bestTime": "bestTime", "contact": "phone", "consent.signature": "signature", "consent": "signature"
    };

    function unreachable() {
        document.getElementById("unreachable").hidden = false;
    }

    function value(id) {
        var text = document.getElementById(id).value.trim();
        return text === "" ? null : text;
    }

    function hex(buffer) {
        return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    }

    // n such that hex SHA-256(prefix + n) starts with `difficulty` zeros.
    async function solve(challenge) {
        var zeros = "0".repeat(challenge.difficulty);
        var encoder = new TextEncoder();
        for (var n = 0; ; n++) {
            var digest = await crypto.subtle.digest("SHA-256", encoder.encode(challenge.prefix + n));
            if (hex(digest).startsWith(zeros)) {
                return String(n);
            }
        }
    }

    function clearErrors() {
        document.querySelectorAll(".field-error").forEach(function (p) { p.hidden = true; p.textContent = ""; });
        document.querySelectorAll("[aria-invalid]").forEach(function (input) { input.removeAttribute("aria-invalid"); });
    }

    function showErrors(errors) {
        var first = null;
        Object.keys(errors).forEach(function (field) {
            var id = fields[field];
            var message = errors[field].join(" ");
            var target = id ? document.getElementById(id + "-error") : null;
            if (!target) {
                target = document.getElementById("form-error");
            } else {
                document.getElementById(id).setAttribute("aria-invalid", "true");
                first = first || document.getElementById(id);
            }
            target.textContent = (target.textContent ? target.textContent + " " : "") + message;
            target.hidden = false;
        });
        (first || document.getElementById("form-error")).focus();
    }

    async function load() {
        try {
            var response = await fetch(api + "/api/v1/intake/consent", { headers: { "Accept": "application/json" } });
            if (!response.ok) {
                unreachable();
                return;
            }
            consent = await response.json();
        } catch (e) {
            unreachable();
            return;
        }
        document.getElementById("consentText").textContent = consent.text;
        form.hidden = false;
        solution = consent.challenge ? solve(consent.challenge) : Promise.resolve(null);
        try {
            var payers = await fetch(api + "/api/v1/payers", { headers: { "Accept": "application/json" } });
            if (payers.ok) {
                // Our insurers in the service's order, before "Another insurer"; nothing is chosen for the visitor.
                var select = document.getElementById("payer");
                var other = select.firstChild;
                (await payers.json()).forEach(function (payer) {
                    var option = document.createElement("option");
                    option.value = payer.id;
                    option.textContent = payer.name;
                    select.insertBefore(option, other);
                });
                var prompt = document.createElement("option");
                prompt.value = "";
                prompt.textContent = "Choose your insurer";
                select.insertBefore(prompt, select.firstChild);
                select.selectedIndex = 0;
            }
        } catch (e) {
            // The list is a help; the insurer's name can still be typed.
        }
    }

    // An error goes away as soon as its field is changed.
    form.addEventListener("input", function (event) {
        var error = document.getElementById(event.target.id + "-error");
        if (error) {
            error.hidden = true;
            error.textContent = "";
            event.target.removeAttribute("aria-invalid");
        }
    });

    form.addEventListener("submit", async function (event) {
        event.preventDefault();
        clearErrors();
        var send = document.getElementById("send");
        send.disabled = true;
        try {
            var body = {
                patient: { firstName: value("firstName"), lastName: value("lastName"), dateOfBirth: value("dateOfBirth") },
                insurance: { payerId: value("payer"), payerName: value("payer") ? null : value("payerName"), memberId: value("memberId"), groupNumber: value("groupNumber") },
                contact: { phone: value("phone"), email: value("email"), bestTime: value("bestTime"), mayLeaveMessage: document.getElementById("mayLeaveMessage").checked },
                consent: { version: consent.version, signature: value("signature") },
                form: { token: consent.formToken, solution: await solution },
                website: document.getElementById("website").value
            };
            var response;
            try {
                response = await fetch(api + "/api/v1/intake", {
                    method: "POST",
                    headers: { "Content-Type": "application/json", "Accept": "application/json" },
                    body: JSON.stringify(body)
                });
            } catch (e) {
                unreachable();
                return;
            }
            if (response.status === 202) {
                var ack = await response.json();
                form.hidden = true;
                document.getElementById("ackMessage").textContent = ack.message;
                document.getElementById("ackReference").textContent = ack.reference;
                var section = document.getElementById("ack");
                section.hidden = false;
                section.focus();
                return;
            }
            if (response.status === 400) {
                var problem = await response.json();
                showErrors(problem.errors || { form: [problem.detail || "Please check the form."] });
                return;
            }
            var formError = document.getElementById("form-error");
            formError.textContent = response.status === 429
                ? "Too many requests from here just now. Please wait a few minutes, or call us."
                : "Something went wrong on our side. Please try again, or call us.";
            formError.hidden = false;
        } finally {
            send.disabled = false;
        }
    });

    load();
})();
