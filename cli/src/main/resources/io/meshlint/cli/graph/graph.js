(function () {
  'use strict';
  var svg = document.getElementById('graph');
  var full = [0, 0, Number(svg.getAttribute('data-width')), Number(svg.getAttribute('data-height'))];
  var view = full.slice();

  function apply() { svg.setAttribute('viewBox', view.join(' ')); }

  /** Zooms by a factor around a point given in picture coordinates. */
  function zoom(factor, cx, cy) {
    var w = view[2] * factor, h = view[3] * factor;
    if (w < 80 || w > full[2] * 8) { return; }
    view = [cx - (cx - view[0]) * factor, cy - (cy - view[1]) * factor, w, h];
    apply();
  }

  function toPicture(clientX, clientY) {
    var r = svg.getBoundingClientRect();
    var scale = Math.max(view[2] / r.width, view[3] / r.height);
    var offX = (r.width * scale - view[2]) / 2, offY = (r.height * scale - view[3]) / 2;
    return [view[0] - offX + (clientX - r.left) * scale, view[1] - offY + (clientY - r.top) * scale, scale];
  }

  svg.addEventListener('wheel', function (e) {
    e.preventDefault();
    var p = toPicture(e.clientX, e.clientY);
    zoom(e.deltaY < 0 ? 0.85 : 1 / 0.85, p[0], p[1]);
  }, { passive: false });

  var drag = null;
  svg.addEventListener('mousedown', function (e) {
    drag = { x: e.clientX, y: e.clientY, view: view.slice(), scale: toPicture(e.clientX, e.clientY)[2] };
    svg.classList.add('panning');
  });
  window.addEventListener('mousemove', function (e) {
    if (!drag) { return; }
    view = [drag.view[0] - (e.clientX - drag.x) * drag.scale, drag.view[1] - (e.clientY - drag.y) * drag.scale, view[2], view[3]];
    apply();
  });
  window.addEventListener('mouseup', function () { drag = null; svg.classList.remove('panning'); });

  document.getElementById('zoom-in').addEventListener('click', function () { zoom(0.8, view[0] + view[2] / 2, view[1] + view[3] / 2); });
  document.getElementById('zoom-out').addEventListener('click', function () { zoom(1.25, view[0] + view[2] / 2, view[1] + view[3] / 2); });
  document.getElementById('zoom-reset').addEventListener('click', function () { view = full.slice(); apply(); });

  // namespace filter: hide a namespace's band and nodes, and every edge touching them
  var nodes = Array.prototype.slice.call(svg.querySelectorAll('g.node'));
  var edges = Array.prototype.slice.call(svg.querySelectorAll('g.edge'));
  var nsOf = {};
  nodes.forEach(function (n) { nsOf[n.getAttribute('data-id')] = n.getAttribute('data-ns'); });

  function filter() {
    var hidden = {};
    document.querySelectorAll('input.ns-toggle').forEach(function (box) {
      if (!box.checked) { hidden[box.getAttribute('data-ns')] = true; }
    });
    svg.querySelectorAll('g.band').forEach(function (b) { b.classList.toggle('hidden', !!hidden[b.getAttribute('data-ns')]); });
    nodes.forEach(function (n) { n.classList.toggle('hidden', !!hidden[n.getAttribute('data-ns')]); });
    edges.forEach(function (e) {
      e.classList.toggle('hidden', !!hidden[nsOf[e.getAttribute('data-from')]] || !!hidden[nsOf[e.getAttribute('data-to')]]);
    });
    document.querySelectorAll('.finding[data-node]').forEach(function (f) {
      f.classList.toggle('hidden-ns', !!hidden[nsOf[f.getAttribute('data-node')]]);
    });
  }
  document.querySelectorAll('input.ns-toggle').forEach(function (box) { box.addEventListener('change', filter); });

  // hovering a node thickens its edges; clicking a finding highlights its node
  nodes.forEach(function (n) {
    var id = n.getAttribute('data-id');
    n.addEventListener('mouseenter', function () {
      edges.forEach(function (e) { if (e.getAttribute('data-from') === id || e.getAttribute('data-to') === id) { e.classList.add('hl'); } });
    });
    n.addEventListener('mouseleave', function () { edges.forEach(function (e) { e.classList.remove('hl'); }); });
  });
  document.querySelectorAll('.finding[data-node]').forEach(function (f) {
    f.addEventListener('click', function () {
      var id = f.getAttribute('data-node');
      nodes.forEach(function (n) { n.classList.toggle('highlight', n.getAttribute('data-id') === id); });
    });
  });
  apply();
}());
