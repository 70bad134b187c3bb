/* The cascade explorer opens deeper generations in place: a "runs below" link fetches the
   fragment of the runs that grew from that node and puts it where the link was. Without
   JavaScript the link opens the same runs as a page of their own. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-below]");
    if (!link) return;
    event.preventDefault();
    link.setAttribute("aria-busy", "true");
    fetch(link.href, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var list = holder.querySelector("ul");
        link.parentNode.replaceChild(list, link);
        var first = list.querySelector("a, summary");
        if (first) first.focus();
      })
      .catch(function () {
        window.location = link.href;
      });
  });
})();
