// storyline: small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // static report: filter the story table by words in a title
  var box = document.getElementById("story-filter");
  if (box) {
    box.closest(".js-only").hidden = false;
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      document.querySelectorAll("#stories tr.story-row").forEach(function (row) {
        var title = row.querySelector("td.title").textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return title.indexOf(w) >= 0; });
      });
    });
  }
  // article page: bring the first highlighted sentence into view
  var marked = document.querySelector(".sent.hl");
  if (marked && !location.hash) { marked.scrollIntoView({block: "center"}); }
});
