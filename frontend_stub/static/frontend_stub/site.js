/* 匠联 — a little vanilla JavaScript. Every page works without it. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    // Mobile menu
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // Language switch submits on change
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    document.querySelectorAll("select[data-skill-picker]").forEach(skillPicker);
    document.querySelectorAll("[data-import-progress]").forEach(importProgress);
    // Print buttons (the campaign report, the agreement)
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    var similar = document.getElementById("similar-challenges");
    if (similar) { similarChallenges(similar); }
  });

  /* A roster upload being checked or imported by Celery: poll its progress, reload when it is done. */
  function importProgress(box) {
    var url = box.getAttribute("data-url");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text]");
    function poll() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (p) {
          if (bar) { bar.value = p.percent; }
          if (text && p.text) { text.textContent = p.text; }
          if (p.running) { setTimeout(poll, 1000); } else { window.location.reload(); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 700);
  }

  /* "Has this been solved before?" on the posting form: once a title and a description are typed, asks
     GET /api/v1/challenges/similar/ (the session signs the request) and lists the paired and resolved
     challenges it answers, with their outcome and solver. */
  function similarChallenges(box) {
    var title = document.getElementById("id_title");
    var description = document.getElementById("id_description");
    if (!title || !description) { return; }
    var en = document.documentElement.lang === "en";
    var list = box.querySelector(".similar-list");
    var empty = box.querySelector(".similar-empty");
    var exclude = box.getAttribute("data-exclude");
    var timer = null, asked = "";

    function outcome(item) {
      var parts = [];
      if (item.problems_solved !== null) { parts.push((en ? "problems solved: " : "解决问题 ") + item.problems_solved + (en ? "" : " 个")); }
      if (item.savings_yuan !== null) {
        parts.push((en ? "saved ¥" : "节约 ¥") + Number(item.savings_yuan).toLocaleString(en ? "en" : "zh-CN"));
      }
      if (item.rating !== null) { parts.push((en ? "rating " : "评分 ") + item.rating + "/5"); }
      return parts.join(" · ");
    }

    function show(items) {
      list.innerHTML = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "similar-item";
        li.setAttribute("data-challenge", item.id);
        var link = document.createElement("a");
        link.href = "/challenges/" + item.id + "/";
        link.textContent = item.title;
        li.appendChild(link);
        var meta = document.createElement("small");
        meta.className = "muted";
        meta.textContent = " " + item.status_label + " · " + item.category_label + " · " + item.province_label + item.city;
        li.appendChild(meta);
        var facts = [outcome(item)];
        if (item.expert) {
          facts.push((en ? "solved with " : "结对劳模工匠：") + item.expert.name + (item.studio ? (en ? " (" : "（") + item.studio.name + (en ? ")" : "）") : ""));
        }
        var p = document.createElement("p");
        p.className = "similar-outcome";
        p.textContent = facts.filter(Boolean).join(" · ");
        li.appendChild(p);
        list.appendChild(li);
      });
      empty.hidden = items.length > 0;
      box.hidden = false;
    }

    function ask() {
      var t = title.value.trim().slice(0, 128), d = description.value.trim().slice(0, 5000);
      if (!t || !d) { return; }
      var query = "?first=5&title=" + encodeURIComponent(t) + "&description=" + encodeURIComponent(d);
      if (query === asked) { return; }
      asked = query;
      fetch(box.getAttribute("data-similar-url") + query, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) {
          if (asked !== query) { return; }
          show(items.filter(function (item) { return String(item.id) !== exclude; }));
        })
        .catch(function () {});
    }

    function later() { clearTimeout(timer); timer = setTimeout(ask, 300); }
    title.addEventListener("input", later);
    description.addEventListener("input", later);
    ask();  // an edited challenge: its text is there already
  }

  /* Turns <select multiple data-skill-picker> into chips + a search box (ARIA combobox).
     The <select> stays in the form (hidden) and carries the chosen values. */
  function skillPicker(select) {
    var url = select.getAttribute("data-suggest-url") || "/skills/suggest/";
    var wrap = document.createElement("div");
    wrap.className = "skill-picker";
    var chips = document.createElement("ul");
    chips.className = "chips";
    chips.setAttribute("aria-live", "polite");
    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id + "_search";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    input.placeholder = document.documentElement.lang === "en" ? "Type to search skills…" : "输入关键词搜索技能，如：精馏";
    var list = document.createElement("ul");
    list.setAttribute("role", "listbox");
    list.id = select.id + "_listbox";
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label) { label.setAttribute("for", input.id); }
    if (select.getAttribute("aria-describedby")) { input.setAttribute("aria-describedby", select.getAttribute("aria-describedby")); }
    wrap.appendChild(chips);
    wrap.appendChild(input);
    wrap.appendChild(list);
    select.parentNode.insertBefore(wrap, select);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;

    var active = -1, timer = null, results = [];

    function renderChips() {
      chips.innerHTML = "";
      Array.prototype.forEach.call(select.options, function (opt) {
        if (!opt.selected) { return; }
        var li = document.createElement("li");
        li.className = "chip";
        li.textContent = opt.textContent;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", (document.documentElement.lang === "en" ? "Remove " : "移除 ") + opt.textContent);
        remove.addEventListener("click", function () { opt.selected = false; renderChips(); input.focus(); });
        li.appendChild(remove);
        chips.appendChild(li);
      });
    }

    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; input.removeAttribute("aria-activedescendant"); }

    function choose(item) {
      var opt = select.querySelector('option[value="' + item.id + '"]');
      if (opt) { opt.selected = true; }
      input.value = "";
      close();
      renderChips();
      input.focus();
    }

    function show(items) {
      results = items;
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = list.id + "_" + i;
        li.setAttribute("data-name", item.name);
        li.textContent = item.name;
        if (item.name_en) { var s = document.createElement("small"); s.textContent = item.name_en; li.appendChild(s); }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(item); });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      active = -1;
    }

    function highlight(i) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (o) { o.setAttribute("aria-selected", "false"); });
      if (i >= 0 && options[i]) {
        options[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      }
      active = i;
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { close(); return; }
      timer = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (data) { if (input.value.trim() === q) { show(data.results || []); } })
          .catch(function () { close(); });
      }, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) { return; }
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(active + 1, results.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter") { e.preventDefault(); choose(results[active >= 0 ? active : 0]); }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    renderChips();
  }
})();
