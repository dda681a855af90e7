"use strict";
// Click (or Enter on) a highlighted span: the detail panel shows every record whose
// evidence covers that point. Click a record: jump to its evidence in the text.
(() => {
  const recordsAt = (span) => {
    const ids = [];
    for (let n = span; n; n = n.parentElement.closest(".ev")) {
      if (!ids.includes(n.dataset.rec)) ids.push(n.dataset.rec);
    }
    return ids;
  };

  const show = (article, ids, evId) => {
    const detail = article.querySelector(".detail");
    const body = detail.querySelector(".detail-body");
    body.replaceChildren();
    for (const id of ids) {
      const card = document.getElementById(id);
      if (!card) continue;
      const copy = card.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach((n) => n.removeAttribute("id"));
      body.append(copy);
    }
    detail.hidden = false;
    article.querySelectorAll(".ev.selected").forEach((n) => n.classList.remove("selected"));
    article.querySelectorAll(`.ev[data-ev="${evId}"]`).forEach((n) => n.classList.add("selected"));
  };

  const jump = (article, rec) => {
    const span = article.querySelector(`.ev[data-rec="${rec.dataset.rec}"]:not(.cont)`);
    if (span) {
      span.scrollIntoView({ block: "center" });
      show(article, recordsAt(span), span.dataset.ev);
    }
    rec.classList.add("flash");
    setTimeout(() => rec.classList.remove("flash"), 800);
  };

  const activate = (event) => {
    const article = event.target.closest(".article");
    if (!article) return false;
    if (event.target.closest(".detail .close")) {
      article.querySelector(".detail").hidden = true;
      return true;
    }
    const span = event.target.closest(".ev");
    if (span) {
      show(article, recordsAt(span), span.dataset.ev);
      return true;
    }
    const rec = event.target.closest(".rec");
    if (rec) {
      jump(article, rec);
      return true;
    }
    return false;
  };

  document.addEventListener("click", (event) => {
    if (activate(event)) event.stopPropagation();
  });
  document.addEventListener("keydown", (event) => {
    if ((event.key === "Enter" || event.key === " ") && activate(event)) event.preventDefault();
  });
})();
