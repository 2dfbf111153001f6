/* The discipline picker (templates/experts/widgets/discipline_picker.html).
 *
 * The page works without this file: the check boxes, grouped by 门类, are the
 * picker. This adds a search box that understands plain words (the names and
 * codes of the list, and suggestions from the server for words such as 养猪),
 * suggestions drawn from what the person writes in the form's other fields, and
 * the chosen fields as a list of buttons that remove them.
 */
(function () {
  "use strict";

  var DELAY_MS = 500;

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function normalise(text) {
    return (text || "").normalize("NFKC").toLowerCase().trim();
  }

  function Picker(root) {
    this.root = root;
    this.form = root.closest("form");
    this.url = root.dataset.suggestUrl;
    this.boxes = Array.prototype.slice.call(root.querySelectorAll("input[type=checkbox]"));
    this.search = root.querySelector("[data-picker-search]");
    this.results = root.querySelector("[data-picker-results]");
    this.suggestions = root.querySelector("[data-picker-suggestions]");
    this.suggestionList = root.querySelector("[data-picker-suggestion-list]");
    this.chosen = root.querySelector("[data-picker-chosen]");
    this.sources = (root.dataset.sources || "").split(",").filter(Boolean)
      .map(function (id) { return document.getElementById(id); })
      .filter(Boolean);
    this.lastText = null;
    root.querySelector("[data-picker-enhanced]").hidden = false;
    this.bind();
    this.renderChosen();
    this.suggestFromSources();
  }

  Picker.prototype.box = function (id) {
    return this.boxes.find(function (box) { return box.value === String(id); });
  };

  Picker.prototype.bind = function () {
    var self = this;
    var later = debounce(function () { self.searchServer(); }, DELAY_MS);
    this.search.addEventListener("input", function () {
      self.searchLocal();
      later();
    });
    this.search.addEventListener("keydown", function (event) {
      // Enter picks the first result instead of sending the whole form.
      if (event.key === "Enter") {
        event.preventDefault();
        var first = self.results.querySelector("button");
        if (first) { first.click(); }
      }
    });
    this.boxes.forEach(function (box) {
      box.addEventListener("change", function () { self.refresh(); });
    });
    var fromSources = debounce(function () { self.suggestFromSources(); }, DELAY_MS * 2);
    this.sources.forEach(function (field) { field.addEventListener("input", fromSources); });
  };

  Picker.prototype.toggleButton = function (id, name, code) {
    var self = this;
    var box = this.box(id);
    if (!box) { return null; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm me-1 mb-1 picker-choice";
    button.dataset.id = String(id);
    button.textContent = name + (code ? " " + code : "");
    this.paint(button, box.checked);
    button.addEventListener("click", function () {
      box.checked = !box.checked;
      self.refresh();
    });
    return button;
  };

  Picker.prototype.paint = function (button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.classList.toggle("btn-primary", on);
    button.classList.toggle("btn-outline-primary", !on);
  };

  Picker.prototype.refresh = function () {
    var self = this;
    this.root.querySelectorAll(".picker-choice").forEach(function (button) {
      var box = self.box(button.dataset.id);
      if (box) { self.paint(button, box.checked); }
    });
    this.renderChosen();
  };

  Picker.prototype.renderChosen = function () {
    var self = this;
    var chosen = this.boxes.filter(function (box) { return box.checked; });
    this.chosen.textContent = "";
    if (!chosen.length) {
      this.chosen.textContent = this.chosen.dataset.empty || "—";
      return;
    }
    chosen.forEach(function (box) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-light border me-1 mb-1";
      button.textContent = box.dataset.name + " ×";
      button.setAttribute("aria-label", (self.root.dataset.removeLabel || "") + box.dataset.name);
      button.addEventListener("click", function () {
        box.checked = false;
        self.refresh();
      });
      self.chosen.appendChild(button);
    });
  };

  Picker.prototype.showResults = function (items) {
    var self = this;
    this.results.textContent = "";
    var seen = {};
    items.forEach(function (item) {
      if (seen[item.id]) { return; }
      seen[item.id] = true;
      var button = self.toggleButton(item.id, item.name, item.code);
      if (button) { self.results.appendChild(button); }
    });
  };

  Picker.prototype.searchLocal = function () {
    var query = normalise(this.search.value);
    this.localMatches = [];
    if (!query) {
      this.showResults([]);
      return;
    }
    this.localMatches = this.boxes.filter(function (box) {
      return normalise(box.dataset.search || box.dataset.name).indexOf(query) >= 0 || box.dataset.code.indexOf(query) === 0;
    }).map(function (box) {
      return { id: box.value, name: box.dataset.name, code: box.dataset.code };
    });
    this.showResults(this.localMatches);
  };

  Picker.prototype.ask = function (text) {
    var token = this.form && this.form.querySelector("[name=csrfmiddlewaretoken]");
    var body = new URLSearchParams();
    body.append("text", text);
    return fetch(this.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "X-Requested-With": "fetch" },
      body: body
    }).then(function (response) {
      if (!response.ok) { return { disciplines: [] }; }
      return response.json();
    }).catch(function () { return { disciplines: [] }; });
  };

  Picker.prototype.searchServer = function () {
    var self = this;
    var query = this.search.value.trim();
    if (!query) { return; }
    this.ask(query).then(function (data) {
      if (self.search.value.trim() !== query) { return; }
      self.showResults((self.localMatches || []).concat(data.disciplines || []));
    });
  };

  Picker.prototype.suggestFromSources = function () {
    var self = this;
    var text = this.sources.map(function (field) { return field.value; }).join("\n").trim();
    if (!this.sources.length || text === this.lastText) { return; }
    this.lastText = text;
    if (!text) {
      this.suggestions.hidden = true;
      return;
    }
    this.ask(text).then(function (data) {
      if (self.lastText !== text) { return; }
      self.suggestionList.textContent = "";
      (data.disciplines || []).forEach(function (item) {
        var button = self.toggleButton(item.id, item.name, "");
        if (button) { self.suggestionList.appendChild(button); }
      });
      self.suggestions.hidden = !self.suggestionList.children.length;
    });
  };

  function start() {
    document.querySelectorAll("[data-discipline-picker]").forEach(function (root) {
      new Picker(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
