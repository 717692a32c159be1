/// The app's one script and one stylesheet, served as files (`/static/app.js`, `/static/app.css`):
/// the Content-Security-Policy allows no inline script or style and nothing remote.
enum Assets {
    /// Live updates: when the catalogue changes (server-sent events from `/events`), the first page of the
    /// documents list is fetched again and its list replaced; on other pages a notice offers to show them.
    static let script = #"""
        "use strict";
        (function () {
          if (!window.EventSource) return;
          var live = document.getElementById("live");
          var list = document.getElementById("list");
          var source = new EventSource("/events");
          source.addEventListener("documents", function () {
            var onFirstPage = list && list.getAttribute("data-page") === "1" && location.pathname === "/";
            if (onFirstPage) {
              fetch(location.href, { credentials: "same-origin" })
                .then(function (r) { return r.text(); })
                .then(function (html) {
                  var doc = new DOMParser().parseFromString(html, "text/html");
                  var fresh = doc.getElementById("list");
                  if (fresh && list) { list.replaceWith(fresh); list = fresh; }
                  if (live) { live.textContent = "New documents arrived."; live.hidden = false; }
                })
                .catch(function () {});
            } else if (live) {
              live.textContent = "";
              var a = document.createElement("a");
              a.href = "/";
              a.textContent = "New documents arrived: show the newest";
              live.appendChild(a);
              live.hidden = false;
            }
          });
        })();
        """#

    static let style = """
        :root { --ink: #1d232b; --muted: #5b6673; --line: #d9dee4; --bg: #f6f7f9; --card: #fff; --accent: #1f5fbf;
          --mark: #ffe27a; --quote: #1f5fbf; --mention: #a9c4ec; --bad: #b3261e; --warn: #8a5a00; }
        @media (prefers-color-scheme: dark) {
          :root { --ink: #e6e9ed; --muted: #9aa5b1; --line: #333b45; --bg: #14181d; --card: #1c2128; --accent: #7fb0ff;
            --mark: #6b5a00; --quote: #7fb0ff; --mention: #35506f; --bad: #ff8a80; --warn: #f0c060; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
        a { color: var(--accent); }
        .bar { display: flex; flex-wrap: wrap; gap: 12px 20px; align-items: center; padding: 10px 20px; background: var(--card);
          border-bottom: 1px solid var(--line); }
        .brand { font-weight: 700; text-decoration: none; color: var(--ink); }
        .bar nav { display: flex; gap: 14px; flex-wrap: wrap; }
        .bar nav a { text-decoration: none; }
        .bar nav a[aria-current] { font-weight: 700; text-decoration: underline; }
        .search { display: flex; gap: 6px; margin-left: auto; }
        .search input { width: min(340px, 60vw); }
        input, select, button { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--card); color: var(--ink); }
        button { cursor: pointer; }
        main { max-width: 980px; margin: 0 auto; padding: 12px 20px 40px; }
        h1 { font-size: 1.6rem; line-height: 1.25; margin: 16px 0 8px; }
        h2 { font-size: 1.05rem; margin: 0 0 8px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; margin: 14px 0; }
        .filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; margin: 8px 0; }
        ol.docs, ol.quotes, ol.entities { list-style: none; margin: 0; padding: 0; }
        li.doc, li.quote { padding: 10px 0; border-top: 1px solid var(--line); }
        li.doc:first-child, li.quote:first-child { border-top: 0; }
        .headline { font-weight: 600; font-size: 1.05rem; text-decoration: none; }
        .headline:hover { text-decoration: underline; }
        .meta { margin: 2px 0 0; color: var(--muted); font-size: .9rem; }
        .file { color: var(--muted); font-size: .85rem; }
        .snippet { margin: 4px 0 0; font-size: .95rem; }
        mark { background: var(--mark); color: inherit; padding: 0 1px; border-radius: 2px; }
        blockquote { margin: 0; padding-left: 12px; border-left: 3px solid var(--quote); }
        .speaker { font-weight: 600; }
        .chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0; }
        .chip { display: inline-block; padding: 2px 10px; border: 1px solid var(--line); border-radius: 999px; text-decoration: none; font-size: .9rem; }
        .chip.person { font-weight: 600; }
        .n { color: var(--muted); font-size: .85rem; }
        ol.entities li { padding: 4px 0; }
        .pager { display: flex; gap: 16px; justify-content: center; margin-top: 10px; }
        .bad, .reason { color: var(--bad); }
        .warn { color: var(--warn); }
        .live { max-width: 980px; margin: 8px auto 0; padding: 6px 20px; background: var(--mark); border-radius: 6px; }
        .empty, .note, .lead, .legend, .names { color: var(--muted); }
        .variant { font-style: italic; }
        svg.timeline { width: 100%; height: auto; }
        svg.timeline .axis { stroke: var(--line); }
        svg.timeline .tick { fill: var(--muted); font-size: 10px; }
        svg.timeline rect.quotes, .key.quotes { fill: var(--quote); background: var(--quote); }
        svg.timeline rect.mentions, .key.mentions { fill: var(--mention); background: var(--mention); }
        .key { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 10px; }
        .foot { text-align: center; color: var(--muted); font-size: .85rem; padding: 20px; }
        pre { white-space: pre-wrap; }
        """
}
