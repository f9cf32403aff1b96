// The public website's cost calculator. It sends only plan numbers and the schedule to POST /api/v1/estimates
// (anonymous, rate limited, CORS: add this page's origin to Website:AllowedOrigins) and reads the insurer list from
// GET /api/v1/payers. It never asks for or sends names, dates of birth or member IDs.
//
// A blank field is unknown, never 0: the page sends only what the visitor gave. What it must know to price anything
// (a deductible, coinsurance or copay) it asks for; for the rest it prices the lowest and the highest case (a
// deductible from none to the out-of-pocket maximum, coinsurance from 0 % to 50 %) and says what it assumed.
(function () {
    "use strict";

    // The highest in-network out-of-pocket maximum for one person that a marketplace or employer plan may have in
    // 2026 (ACA, 45 CFR 156.130): what an unknown in-network maximum is assumed to be, so no figure is understated.
    var HIGHEST_IN_NETWORK_OOP = 10600;
    var HIGHEST_COINSURANCE = 50;

    var form = document.getElementById("calculator");
    var api = form.getAttribute("data-api");
    var money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
    var payerSelect = document.getElementById("payer");
    var presetSelect = document.getElementById("preset");
    var payers = [];
    var networkChosen = false;

    // The service names fields as in its problem details; the page shows each error next to its field.
    var fieldFor = {
        "program.startDate": "start", "program.weeks": "weeks", "program.daysPerWeek": "days",
        "coverage.deductible.individual": "deductible", "coverage.coinsurancePercent": "coinsurance",
        "coverage.copayPerDay": "copay", "coverage.outOfPocketMax.individual": "oop",
        "coverage.accumulators.deductibleIndividualMet": "deductibleMet",
        "coverage.accumulators.outOfPocketIndividualMet": "oopMet"
    };
    var benefitFields = ["deductible", "deductibleMet", "coinsurance", "copay", "oop", "oopMet"];

    function el(id) { return document.getElementById(id); }

    function read(id) {
        var input = el(id);
        if (input.validity && input.validity.badInput) { return NaN; }
        var raw = input.value.trim();
        return raw === "" ? null : Number(raw);
    }

    // Next Monday in the visitor's own calendar (not UTC's, which is already tomorrow in the evening in America).
    function nextMonday() {
        var d = new Date();
        d.setDate(d.getDate() + ((8 - d.getDay()) % 7 || 7));
        return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
    }

    function monthName(yearMonth) {
        var parts = yearMonth.split("-");
        return new Date(Date.UTC(Number(parts[0]), Number(parts[1]) - 1, 1))
            .toLocaleDateString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
    }

    var start = el("start");
    if (!start.value) { start.value = nextMonday(); }

    function network() { return el("network-out").checked ? "out" : "in"; }

    function selectedPayer() {
        var id = payerSelect.value;
        return payers.filter(function (p) { return p.id === id; })[0] || null;
    }

    function setText(id, text) { el(id).textContent = text; }

    // ---- Insurer picker and typical plans --------------------------------------------------------------------
    function loadPayers() {
        fetch(api + "/api/v1/payers", { headers: { "Accept": "application/json" } })
            .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
            .then(function (list) {
                payers = list;
                var other = payerSelect.querySelector("option[value=other]");
                list.forEach(function (p) {
                    var option = document.createElement("option");
                    option.value = p.id;
                    option.textContent = p.name;
                    payerSelect.insertBefore(option, other);
                });
            })
            .catch(function () {
                setText("payer-status", "We could not load our list of insurers just now. You can still enter your plan's numbers below.");
            });
    }

    function payerChanged() {
        var payer = selectedPayer();
        var self = payerSelect.value === "self";
        el("benefits").disabled = self;
        el("network-group").hidden = self;
        presetSelect.length = 1;
        presetSelect.value = "";
        setText("preset-note", "");
        el("preset-note").classList.remove("typical");
        if (payer) {
            if (payer.network === "in" || payer.network === "out") {
                el(payer.network === "out" ? "network-out" : "network-in").checked = true;
                networkChosen = true;
            }
            setText("payer-status", payer.network === "in"
                ? "We are in network with " + payer.name + "."
                : payer.network === "out"
                    ? "We are out of network with " + payer.name + ": your plan's out-of-network benefits apply, and you may owe the difference between our charge and what your plan allows."
                    : "We do not know yet whether we are in network with " + payer.name + ".");
            (payer.presets || []).forEach(function (preset, i) {
                var option = document.createElement("option");
                option.value = String(i);
                option.textContent = preset.name + " (typical, not your own plan)";
                presetSelect.appendChild(option);
            });
        } else {
            setText("payer-status", self ? "Self-pay: we use our cash rates." : payerSelect.value === "other" ? "Tell us your plan's numbers below; our admissions team can check your network status." : "");
        }
        el("preset-group").hidden = !payer || !payer.presets || payer.presets.length === 0;
    }

    function presetChanged() {
        var payer = selectedPayer();
        var preset = payer && presetSelect.value !== "" ? payer.presets[Number(presetSelect.value)] : null;
        var note = el("preset-note");
        if (!preset) {
            note.textContent = "";
            note.classList.remove("typical");
            return;
        }
        el("deductible").value = String(preset.deductible);
        el("coinsurance").value = String(preset.coinsurancePercent);
        el("copay").value = String(preset.copayPerDay);
        el("oop").value = String(preset.outOfPocketMax);
        note.textContent = "Filled in with a typical " + payer.name + " plan (" + preset.name + "). These are typical figures, not your own plan's: change any number you know.";
        note.classList.add("typical");
    }

    payerSelect.addEventListener("change", payerChanged);
    presetSelect.addEventListener("change", presetChanged);
    ["network-in", "network-out"].forEach(function (id) { el(id).addEventListener("change", function () { networkChosen = true; }); });

    // ---- Errors next to their fields ----------------------------------------------------------------------------
    function clearErrors() {
        Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (p) { p.hidden = true; p.textContent = ""; });
        Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (input) { input.removeAttribute("aria-invalid"); });
        el("error").hidden = true;
        el("error").textContent = "";
    }

    function fieldError(id, message) {
        var p = el(id + "-error");
        p.textContent = p.textContent ? p.textContent + " " + message : message;
        p.hidden = false;
        el(id).setAttribute("aria-invalid", "true");
    }

    function generalError(message) {
        el("error").textContent = message;
        el("error").hidden = false;
    }

    function focusFirstError() {
        var first = form.querySelector("[aria-invalid=true]");
        if (first) { first.focus(); } else if (!el("error").hidden) { el("error").scrollIntoView({ block: "center" }); }
    }

    // ---- What is known, and the cases to price -----------------------------------------------------------------
    function cases() {
        var self = payerSelect.value === "self";
        var program = { startDate: start.value || undefined, weeks: read("weeks"), daysPerWeek: read("days") };
        var base = { program: program, range: { weeks: { min: 8, max: 12 }, daysPerWeek: { min: 3, max: 5 } } };
        var bad = false;
        ["weeks", "days"].concat(self ? [] : benefitFields).forEach(function (id) {
            var value = read(id);
            if (value !== null && (isNaN(value) || value < 0)) {
                fieldError(id, "Enter a number of 0 or more, or leave it blank if you don't know it.");
                bad = true;
            }
        });
        if (program.weeks === null) { program.weeks = undefined; }
        if (program.daysPerWeek === null) { program.daysPerWeek = undefined; }
        if (bad) { return null; }
        if (self) { return { low: base, high: null, assumptions: [] }; }

        var known = {};
        benefitFields.forEach(function (id) { known[id] = read(id); });
        if (known.deductible === null && known.coinsurance === null && known.copay === null) {
            fieldError("deductible", "Enter at least one of your deductible, coinsurance or copay, or choose a typical plan of your insurer above: without any of them we cannot estimate your share.");
            return null;
        }

        var out = network() === "out";
        var assumptions = [];
        var payer = selectedPayer();
        if (!payer && !networkChosen) {
            assumptions.push("We don't know your insurer, so we assumed our program is in your plan's network. Out of network you would likely pay more.");
        }
        if (payer && presetSelect.value !== "") {
            assumptions.push("Your benefits are those of a typical " + payer.name + " plan (" + payer.presets[Number(presetSelect.value)].name + "), not your own plan's.");
        }

        var oop = known.oop;
        if (oop === null && !out) {
            oop = HIGHEST_IN_NETWORK_OOP;
            assumptions.push("Your out-of-pocket maximum is not known: we assumed " + money.format(oop) + " a year, the highest an in-network plan may have in 2026, so you may pay less.");
        } else if (oop === null) {
            assumptions.push("Your out-of-network out-of-pocket maximum is not known: we assumed there is none (some plans have none out of network), so you may pay less.");
        }

        var low = { deductible: known.deductible, coinsurance: known.coinsurance, copay: known.copay };
        var high = { deductible: known.deductible, coinsurance: known.coinsurance, copay: known.copay };
        if (known.deductible === null) {
            low.deductible = 0;
            high.deductible = oop !== null ? oop : HIGHEST_IN_NETWORK_OOP;
            assumptions.push("Your deductible is not known: the lower figure assumes you have none left to pay, the higher one a deductible of " + money.format(high.deductible) + ".");
        }
        if (known.coinsurance === null) {
            low.coinsurance = 0;
            high.coinsurance = HIGHEST_COINSURANCE;
            assumptions.push("Your coinsurance is not known: the lower figure assumes you pay 0 % after the deductible, the higher one " + HIGHEST_COINSURANCE + " %.");
        }
        if (known.copay === null) {
            low.copay = 0;
            high.copay = 0;
            assumptions.push("Your copay is not known: we assumed you have no copay per day.");
        }
        if (known.deductibleMet === null && (known.deductible === null || known.deductible > 0)) {
            assumptions.push("We assumed you have paid nothing toward your deductible yet this year.");
        }
        if (known.oopMet === null && oop !== null) {
            assumptions.push("We assumed you have paid nothing toward your out-of-pocket maximum yet this year.");
        }

        function request(benefits) {
            var coverage = {
                status: "active",
                network: out ? "out" : "in",
                deductible: { individual: benefits.deductible },
                coinsurancePercent: benefits.coinsurance,
                copayPerDay: benefits.copay
            };
            if (oop !== null) { coverage.outOfPocketMax = { individual: oop }; }
            var met = {};
            if (known.deductibleMet !== null) { met.deductibleIndividualMet = known.deductibleMet; }
            if (known.oopMet !== null) { met.outOfPocketIndividualMet = known.oopMet; }
            coverage.accumulators = met;
            return { program: base.program, range: base.range, coverage: coverage };
        }

        var same = low.deductible === high.deductible && low.coinsurance === high.coinsurance && low.copay === high.copay;
        return { low: request(low), high: same ? null : request(high), assumptions: assumptions };
    }

    // ---- The answer -------------------------------------------------------------------------------------------
    function between(low, high) {
        return low === high ? "About " + money.format(low) : "Between " + money.format(low) + " and " + money.format(high);
    }

    function show(low, high, assumptions) {
        var top = high || low;
        setText("total", between(low.totals.patient, top.totals.patient) + " for " + low.sessions + " session days");
        setText("range", low.range
            ? "For a program of 8 to 12 weeks at 3 to 5 days a week: " + money.format(low.range.low.totals.patient) + " to " + money.format(top.range.high.totals.patient) + "."
            : "");

        var list = el("assumptions");
        list.textContent = "";
        assumptions.forEach(function (text) {
            var li = document.createElement("li");
            li.textContent = text;
            list.appendChild(li);
        });
        el("assumptions-block").hidden = assumptions.length === 0;

        setText("explanation", high ? "For the higher figure: " + high.explanation : low.explanation);

        var head = el("monthly-head");
        head.textContent = "";
        (high ? ["Month", "Days", "You pay, at least", "You pay, at most"] : ["Month", "Days", "You pay"]).forEach(function (text) {
            var th = document.createElement("th");
            th.scope = "col";
            th.textContent = text;
            head.appendChild(th);
        });
        var rows = el("monthly");
        rows.textContent = "";
        low.monthly.forEach(function (m, i) {
            var tr = document.createElement("tr");
            // Per month the two cases may cross (the higher case meets its out-of-pocket maximum sooner): each
            // month shows its own lower and higher figure, never a "most" below the "least".
            var cells = [monthName(m.month), String(m.sessions)];
            if (high) {
                var other = high.monthly[i].patient;
                cells.push(money.format(Math.min(m.patient, other)), money.format(Math.max(m.patient, other)));
            } else {
                cells.push(money.format(m.patient));
            }
            cells.forEach(function (text, j) {
                var cell = document.createElement(j === 0 ? "th" : "td");
                if (j === 0) { cell.scope = "row"; }
                cell.textContent = text;
                tr.appendChild(cell);
            });
            rows.appendChild(tr);
        });

        var warnings = el("warnings");
        warnings.textContent = "";
        var seen = {};
        // The service words each warning for the patient (warningMessages); the page keeps no wording of its own.
        [low, high].forEach(function (estimate) {
            ((estimate && estimate.warningMessages) || []).forEach(function (w) {
                if (seen[w.message]) { return; }
                seen[w.message] = true;
                var li = document.createElement("li");
                li.textContent = w.message;
                warnings.appendChild(li);
            });
        });
        setText("disclaimer", top.disclaimer);
        var result = el("result");
        result.hidden = false;
        result.scrollIntoView({ block: "start" });
        el("result-heading").focus({ preventScroll: true });
    }

    function post(body) {
        return fetch(api + "/api/v1/estimates", {
            method: "POST",
            headers: { "Content-Type": "application/json", "Accept": "application/json" },
            body: JSON.stringify(body)
        }).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (json) { return { ok: response.ok, status: response.status, body: json }; });
        }, function () {
            return { unreachable: true };
        });
    }

    form.addEventListener("submit", function (event) {
        event.preventDefault();
        clearErrors();
        el("result").hidden = true;
        var planned = cases();
        if (!planned) { focusFirstError(); return; }
        Promise.all([post(planned.low), planned.high ? post(planned.high) : Promise.resolve(null)]).then(function (answers) {
            var failed = answers.filter(function (a) { return a && !a.ok; });
            if (failed.length === 0) {
                show(answers[0].body, answers[1] && answers[1].body, planned.assumptions);
                return;
            }
            var first = failed[0];
            if (first.unreachable) {
                generalError("We could not reach our cost estimate service just now. Please check your internet connection and try again in a few minutes, or call us and we will work it out with you.");
            } else if (first.status === 429) {
                generalError("Too many estimates from your connection in a short time. Please wait a minute and try again.");
            } else if (first.body && first.body.errors) {
                var other = [];
                Object.keys(first.body.errors).forEach(function (key) {
                    var message = first.body.errors[key].join(" ");
                    if (fieldFor[key]) { fieldError(fieldFor[key], message); } else { other.push(message); }
                });
                if (other.length) { generalError("We could not make an estimate: " + other.join(" ")); }
            } else {
                generalError("We could not make an estimate just now (" + ((first.body && first.body.title) || ("error " + first.status)) + "). Please try again later.");
            }
            focusFirstError();
        });
    });

    loadPayers();
}());
