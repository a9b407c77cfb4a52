// TradeLens workbench: what-if toggles rescore at once (the form still works without this).
(function () {
  "use strict";
  var form = document.getElementById("whatif");
  if (!form) { return; }
  var token = form.querySelector("input[name=csrf]").value;

  function band(score) { return score < 40 ? "low" : score < 75 ? "mid" : "high"; }
  function num(value) { return String(Math.round(value * 10) / 10); }
  function setScore(el, value) {
    if (!el) { return; }
    var text = num(value);
    if (el.textContent !== text) { el.classList.add("changed"); }
    el.textContent = text;
    el.classList.remove("low", "mid", "high");
    el.classList.add(band(value));
  }
  function setList(el, lines) {
    if (!el) { return; }
    el.textContent = "";
    lines.forEach(function (line) {
      var li = document.createElement("li");
      li.textContent = line;
      el.appendChild(li);
    });
  }
  function state() {
    var findings = [];
    form.querySelectorAll("input[name=finding]").forEach(function (input) {
      var parts = input.value.split("|");
      var mods = [];
      form.querySelectorAll("input[name=mod]:checked").forEach(function (box) {
        if (box.value.lastIndexOf(input.value + "|", 0) === 0) { mods.push(box.dataset.modifier); }
      });
      findings.push({category: parts[0], clause_id: parts.slice(1).join("|"), mods: mods});
    });
    return {findings: findings};
  }
  function apply(data) {
    setScore(document.getElementById("score"), data.score);
    setList(document.getElementById("score-explain"), data.explanation);
    Object.keys(data.categories).forEach(function (c) {
      var row = document.querySelector("tr[data-category='" + c + "']");
      if (!row) { return; }
      setScore(row.querySelector(".cat-score"), data.categories[c].policy_space);
      setList(row.querySelector(".cat-explain"), data.categories[c].explanation);
      var status = row.querySelector(".status");
      status.textContent = data.categories[c].status;
      status.className = "status " + data.categories[c].status;
    });
    document.querySelectorAll("article[data-finding]").forEach(function (article) {
      var f = data.findings[article.dataset.finding];
      if (!f) { return; }
      setScore(article.querySelector(".finding-score"), f.policy_space);
      setList(article.querySelector(".finding-explain"), f.explanation);
    });
    var note = document.getElementById("analysed-note");
    if (note) { note.hidden = false; }
    document.body.dataset.whatif = "done";
  }
  form.addEventListener("change", function (event) {
    if (event.target.name !== "mod") { return; }
    document.body.dataset.whatif = "pending";
    fetch(form.dataset.whatif, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": token},
      body: JSON.stringify(state())
    }).then(function (response) {
      if (!response.ok) { throw new Error("what-if refused: " + response.status); }
      return response.json();
    }).then(apply).catch(function (error) {
      document.body.dataset.whatif = "failed";
      console.warn(error.message);
    });
  });
}());
