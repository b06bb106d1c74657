(function () {
  "use strict";
  function all(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }
  var boxes = all("input[data-filter]");
  var choices = all("input[data-view-choice]");
  var views = all(".view");
  var targets = all(".filterable");
  var texts = targets.map(function (el) { return el.textContent.toLowerCase(); });
  var search = document.getElementById("search");
  var status = document.getElementById("shown");

  function viewOf(el) {
    var holder = el.closest(".view");
    return holder ? holder.getAttribute("data-view") : "";
  }

  function currentView() {
    var chosen = "promise";
    choices.forEach(function (c) { if (c.checked) { chosen = c.value; } });
    return chosen;
  }

  function apply() {
    var on = {};
    boxes.forEach(function (box) { on[box.value] = box.checked; });
    var query = search ? search.value.trim().toLowerCase() : "";
    var words = query ? query.split(/\s+/) : [];
    var view = currentView();
    views.forEach(function (v) { v.hidden = v.getAttribute("data-view") !== view; });
    var shown = 0, total = 0, promises = 0;
    targets.forEach(function (el, i) {
      var visible = on[el.getAttribute("data-verdict")] !== false &&
        words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      el.hidden = !visible;
      var where = viewOf(el);
      if (visible && where === "promise") { promises += 1; }
      if (where === view) {
        total += 1;
        if (visible) { shown += 1; }
      }
    });
    document.body.setAttribute("data-shown-items", String(promises));
    document.body.setAttribute("data-shown", String(shown));
    document.body.setAttribute("data-view", view);
    if (status) {
      status.textContent = shown + " of " + total +
        (view === "promise" ? " promises" : " requirements") + " shown";
    }
  }

  function choose(wanted) {
    boxes.forEach(function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
    apply();
  }

  // A link such as report.html#verdict=fail,error&view=requirement&q=sql opens that way.
  function fromHash() {
    var hash = window.location.hash.replace(/^#/, "");
    hash.split("&").forEach(function (part) {
      var pair = part.split("=");
      var value = decodeURIComponent(pair[1] || "");
      if (pair[0] === "view") {
        choices.forEach(function (c) { c.checked = c.value === value; });
      } else if (pair[0] === "q" && search) {
        search.value = value;
      }
    });
    var match = /(?:^#|&)verdict=([^&]*)/.exec(window.location.hash);
    if (match) { choose(decodeURIComponent(match[1]).split(",")); }
  }

  function copied(button, ok) {
    button.textContent = ok ? "copied" : "select and copy";
    button.setAttribute("data-copied", ok ? "1" : "0");
  }

  function copy(button) {
    var pre = button.parentNode.querySelector("pre");
    var text = pre ? pre.textContent : "";
    var fallback = function () {
      var range = document.createRange();
      range.selectNodeContents(pre);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
      copied(button, ok);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { copied(button, true); }, fallback);
    } else {
      fallback();
    }
  }

  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  choices.forEach(function (c) { c.addEventListener("change", apply); });
  if (search) { search.addEventListener("input", apply); }
  all("button[data-preset]").forEach(function (button) {
    button.addEventListener("click", function () {
      var preset = button.getAttribute("data-preset");
      choose(preset === "all" ? boxes.map(function (b) { return b.value; }) : preset.split(","));
    });
  });
  all("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () { copy(button); });
  });
  // a link to a promise or requirement in the other view switches to that view
  all("a[href^='#item-'], a[href^='#req-']").forEach(function (link) {
    link.addEventListener("click", function () {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      var wanted = viewOf(target);
      choices.forEach(function (c) { c.checked = c.value === wanted; });
      target.hidden = false;
      apply();
      target.hidden = false;
    });
  });
  fromHash();
  apply();
  document.body.setAttribute("data-ready", "1");
})();
