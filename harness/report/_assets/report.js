(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  var targets = Array.prototype.slice.call(document.querySelectorAll(".filterable"));
  var items = targets.filter(function (el) { return el.classList.contains("item"); });
  var status = document.getElementById("shown");

  function apply() {
    var on = {};
    boxes.forEach(function (box) { on[box.value] = box.checked; });
    var shown = 0;
    targets.forEach(function (el) {
      var visible = on[el.getAttribute("data-verdict")] !== false;
      el.hidden = !visible;
      if (visible && el.classList.contains("item")) { shown += 1; }
    });
    document.body.setAttribute("data-shown-items", String(shown));
    if (status) { status.textContent = shown + " of " + items.length + " items shown"; }
  }

  function choose(wanted) {
    boxes.forEach(function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
    apply();
  }

  // A link such as report.html#verdict=fail,partial opens with that filter set.
  var match = /(?:^#|&)verdict=([^&]*)/.exec(window.location.hash);
  if (match) { choose(decodeURIComponent(match[1]).split(",")); }

  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  Array.prototype.forEach.call(document.querySelectorAll("button[data-preset]"), function (button) {
    button.addEventListener("click", function () {
      var preset = button.getAttribute("data-preset");
      choose(preset === "all" ? boxes.map(function (b) { return b.value; }) : preset.split(","));
    });
  });
  apply();
  document.body.setAttribute("data-ready", "1");
})();
