// The public website's cost calculator: rough benefits in, the CoverageCheck estimate out. It sends only plan
// numbers and the schedule to POST /api/v1/estimates (anonymous, rate limited, CORS: add this page's origin to
// Website:AllowedOrigins). It never asks for or sends names, dates of birth or member IDs.
(function () {
    "use strict";
    var form = document.getElementById("calculator");
    var api = form.getAttribute("data-api");
    var money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

    function number(id) { var value = parseFloat(document.getElementById(id).value); return isNaN(value) ? 0 : value; }

    function nextMonday() {
        var d = new Date();
        d.setDate(d.getDate() + ((8 - d.getDay()) % 7 || 7));
        return d.toISOString().slice(0, 10);
    }

    var start = document.getElementById("start");
    if (!start.value) { start.value = nextMonday(); }

    function request() {
        var body = {
            program: { startDate: start.value, weeks: number("weeks"), daysPerWeek: number("days") },
            range: { weeks: { min: 8, max: 12 }, daysPerWeek: { min: 3, max: 5 } }
        };
        if (!document.getElementById("noInsurance").checked) {
            body.coverage = {
                status: "active", network: "in",
                deductible: { individual: number("deductible") },
                coinsurancePercent: number("coinsurance"),
                copayPerDay: number("copay"),
                outOfPocketMax: { individual: number("oop") },
                accumulators: { deductibleIndividualMet: number("deductibleMet"), outOfPocketIndividualMet: number("oopMet") }
            };
        }
        return body;
    }

    function show(estimate) {
        document.getElementById("total").textContent = "About " + money.format(estimate.totals.patient) + " for " + estimate.sessions + " session days";
        var range = estimate.range;
        document.getElementById("range").textContent = range
            ? "For a program of 8 to 12 weeks at 3 to 5 days a week: " + money.format(range.low.totals.patient) + " to " + money.format(range.high.totals.patient) + "."
            : "";
        var rows = document.getElementById("monthly");
        rows.textContent = "";
        estimate.monthly.forEach(function (m) {
            var tr = document.createElement("tr");
            [m.month, String(m.sessions), money.format(m.patient)].forEach(function (text, i) {
                var cell = document.createElement(i === 0 ? "th" : "td");
                cell.textContent = text;
                tr.appendChild(cell);
            });
            rows.appendChild(tr);
        });
        var list = document.getElementById("warnings");
        list.textContent = "";
        // The service words each warning for the patient (warningMessages); the page keeps no wording of its own.
        (estimate.warningMessages || []).forEach(function (w) {
            var li = document.createElement("li");
            li.textContent = w.message;
            list.appendChild(li);
        });
        document.getElementById("disclaimer").textContent = estimate.disclaimer;
        document.getElementById("result").hidden = false;
    }

    form.addEventListener("submit", function (event) {
        event.preventDefault();
        var error = document.getElementById("error");
        error.hidden = true;
        fetch(api + "/api/v1/estimates", {
            method: "POST",
            headers: { "Content-Type": "application/json", "Accept": "application/json" },
            body: JSON.stringify(request())
        }).then(function (response) {
            return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        }).then(function (answer) {
            if (!answer.ok) {
                var problems = answer.body.errors ? Object.keys(answer.body.errors).map(function (k) { return answer.body.errors[k].join(" "); }) : [answer.body.title];
                throw new Error(problems.join(" "));
            }
            show(answer.body);
        }).catch(function (e) {
            error.textContent = "We could not make an estimate: " + e.message;
            error.hidden = false;
        });
    });
}());
