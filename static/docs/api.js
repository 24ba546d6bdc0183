// Renders the operations of /api/openapi.json as a plain list, grouped by
// tag; no external scripts.
(function () {
  "use strict";
  var root = document.getElementById("ops");
  function el(tag, text) { var e = document.createElement(tag); if (text) e.textContent = text; return e; }
  function json(v) { var p = el("pre"); p.textContent = JSON.stringify(v, null, 2); return p; }
  fetch("/api/openapi.json").then(function (r) { return r.json(); }).then(function (doc) {
    root.textContent = "";
    var byTag = {};
    Object.keys(doc.paths).forEach(function (path) {
      var item = doc.paths[path];
      ["get", "post", "put", "patch", "delete"].forEach(function (m) {
        var op = item[m];
        if (!op) return;
        var tag = (op.tags || ["other"])[0];
        (byTag[tag] = byTag[tag] || []).push({ method: m.toUpperCase(), path: path, op: op });
      });
    });
    Object.keys(byTag).sort().forEach(function (tag) {
      root.appendChild(el("h2", tag));
      byTag[tag].forEach(function (o) {
        var d = el("details"), s = el("summary");
        var m = el("code", o.method); m.className = "m";
        s.appendChild(m); s.appendChild(el("code", o.path + " ")); s.appendChild(el("span", "— " + (o.op.summary || "")));
        d.appendChild(s);
        (o.op.parameters || []).forEach(function (p) {
          d.appendChild(el("div", p.in + " parameter " + p.name + (p.required ? " (required)" : "")));
        });
        if (o.op.requestBody) {
          d.appendChild(el("h4", "Request body"));
          var c = o.op.requestBody.content;
          d.appendChild(json(c["application/json"] ? c["application/json"].schema : Object.keys(c)));
        }
        Object.keys(o.op.responses).forEach(function (st) {
          var r = o.op.responses[st];
          if (r.$ref) return;
          d.appendChild(el("h4", "Answer " + st));
          if (r.content) d.appendChild(json(r.content["application/json"].schema));
        });
        d.appendChild(el("div", "Errors: problem documents (" + Object.keys(o.op.responses).filter(function (st) { return o.op.responses[st].$ref; }).join(", ") + ")"));
        root.appendChild(d);
      });
    });
    root.appendChild(el("h2", "Problem document"));
    root.appendChild(json(doc.components.schemas.Problem));
  }).catch(function (e) { root.textContent = "Could not load the document: " + e; });
})();
