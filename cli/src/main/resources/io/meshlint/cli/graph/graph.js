(function () {
  'use strict';
  // Everything is placed when the page is written (ELK Layered): the frames (which namespaces are
  // open, where each one goes) come as JSON; this script only moves, shows, hides, zooms and highlights.
  var svg = document.getElementById('graph');
  var frames = JSON.parse(document.getElementById('frames').textContent);
  var frame = svg.getAttribute('data-frame');
  var view = [0, 0, frames[frame].width, frames[frame].height];

  function all(selector) { return Array.prototype.slice.call(svg.querySelectorAll(selector)); }
  var groups = {};
  all('g.ns').forEach(function (g) { groups[g.getAttribute('data-ns')] = g; });
  var nodes = all('g.node');
  var edges = all('g.edge, g.edge-end');
  var links = all('g.link');
  var nsOf = {};
  nodes.forEach(function (n) { nsOf[n.getAttribute('data-id')] = n.getAttribute('data-ns'); });

  // --- zoom and pan -------------------------------------------------------------------------------

  function apply() { svg.setAttribute('viewBox', view.join(' ')); }

  function fit() { view = [0, 0, frames[frame].width, frames[frame].height]; apply(); }

  /** Zooms by a factor around a point given in picture coordinates. */
  function zoom(factor, cx, cy) {
    var w = view[2] * factor, h = view[3] * factor;
    if (w < 80 || w > frames[frame].width * 8) { return; }
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

  // a drag pans; a press that did not move is a click
  var drag = null, dragged = false;
  svg.addEventListener('mousedown', function (e) {
    drag = { x: e.clientX, y: e.clientY, view: view.slice(), scale: toPicture(e.clientX, e.clientY)[2] };
    dragged = false;
    svg.classList.add('panning');
  });
  window.addEventListener('mousemove', function (e) {
    if (!drag) { return; }
    if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 3) { dragged = true; }
    view = [drag.view[0] - (e.clientX - drag.x) * drag.scale, drag.view[1] - (e.clientY - drag.y) * drag.scale, view[2], view[3]];
    apply();
  });
  window.addEventListener('mouseup', function () { drag = null; svg.classList.remove('panning'); });

  function button(id, action) { document.getElementById(id).addEventListener('click', action); }
  button('zoom-in', function () { zoom(0.8, view[0] + view[2] / 2, view[1] + view[3] / 2); });
  button('zoom-out', function () { zoom(1.25, view[0] + view[2] / 2, view[1] + view[3] / 2); });
  button('zoom-reset', fit);

  // --- opening and closing namespaces -----------------------------------------------------------------

  /** Shows a frame: each namespace where the frame puts it, open or closed, and the frame's links; then fits. */
  function show(name) {
    var f = frames[name];
    if (!f) { return; }
    frame = name;
    svg.setAttribute('data-frame', name);
    svg.classList.toggle('compact', f.open.length > 0);
    var open = {};
    f.open.forEach(function (g) { open[g] = true; });
    Object.keys(groups).forEach(function (g) {
      groups[g].setAttribute('transform', 'translate(' + f.at[g][0] + ',' + f.at[g][1] + ')');
      groups[g].classList.toggle('open', !!open[g]);
    });
    all('g.links').forEach(function (l) { l.classList.toggle('hidden', l.getAttribute('data-frame') !== name); });
    fit();
    paint();
  }

  function isOpen(group) { return groups[group].classList.contains('open'); }

  /** Opens one namespace, closing the others (the frames hold one open namespace, or all). */
  function openGroup(group) { show(frames['ns:' + group] ? 'ns:' + group : 'all'); }

  Object.keys(groups).forEach(function (g) {
    groups[g].querySelector('.summary').addEventListener('click', function () { if (!dragged) { openGroup(g); } });
    groups[g].querySelector('.block .header').addEventListener('click', function () { if (!dragged) { show('overview'); } });
  });
  button('open-all', function () { show('all'); });
  button('close-all', function () { show('overview'); });

  // --- namespace filter: hide a namespace, and every edge and link touching it ------------------------

  var hidden = {};
  function filter() {
    hidden = {};
    document.querySelectorAll('input.ns-toggle').forEach(function (box) {
      if (!box.checked) { hidden[box.getAttribute('data-ns')] = true; }
    });
    Object.keys(groups).forEach(function (g) { groups[g].classList.toggle('hidden', !!hidden[g]); });
    edges.forEach(function (e) {
      e.classList.toggle('hidden', !!hidden[nsOf[e.getAttribute('data-from')]] || !!hidden[nsOf[e.getAttribute('data-to')]]);
    });
    links.forEach(function (l) {
      l.classList.toggle('hidden-ns', !!hidden[l.getAttribute('data-from')] || !!hidden[l.getAttribute('data-to')]);
    });
    document.querySelectorAll('.finding[data-node]').forEach(function (f) {
      f.classList.toggle('hidden-ns', !!hidden[nsOf[f.getAttribute('data-node')]]);
    });
  }
  document.querySelectorAll('input.ns-toggle').forEach(function (box) { box.addEventListener('change', filter); });

  // --- highlighting --------------------------------------------------------------------------------------

  var marked = { nodes: {}, edges: {} };

  function setOf(list) {
    var s = {};
    (list || []).forEach(function (x) { s[x] = true; });
    return s;
  }

  /**
   * Highlights nodes (their data-id) and edges (their data-edge, "e" and the edge's index), and dims the
   * rest; without edge ids, the edges between two highlighted nodes. A closed namespace holding a
   * highlighted node and a link carrying a highlighted edge are highlighted too. highlight([]) clears.
   */
  function highlight(nodeIds, edgeIds) {
    marked.nodes = setOf(nodeIds);
    if (edgeIds) {
      marked.edges = setOf(edgeIds);
    } else {
      marked.edges = {};
      edges.forEach(function (e) {
        if (marked.nodes[e.getAttribute('data-from')] && marked.nodes[e.getAttribute('data-to')]) {
          marked.edges[e.getAttribute('data-edge')] = true;
        }
      });
    }
    paint();
  }

  function paint() {
    var any = false, marks = {};
    nodes.forEach(function (n) {
      var on = !!marked.nodes[n.getAttribute('data-id')];
      n.classList.toggle('highlight', on);
      if (on) { any = true; marks[n.getAttribute('data-ns')] = true; }
    });
    edges.forEach(function (e) { e.classList.toggle('highlight', !!marked.edges[e.getAttribute('data-edge')]); });
    links.forEach(function (l) {
      var on = l.getAttribute('data-edges').split(' ').some(function (id) { return marked.edges[id]; });
      l.classList.toggle('highlight', on);
      if (on) { any = true; marks[l.getAttribute('data-from')] = true; marks[l.getAttribute('data-to')] = true; }
    });
    Object.keys(groups).forEach(function (g) { groups[g].classList.toggle('highlight', !!marks[g] && !isOpen(g)); });
    svg.classList.toggle('highlighting', any);
  }

  // hovering a node thickens its edges; clicking a finding opens its namespace and highlights its node
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
      if (!isOpen(nsOf[id])) { openGroup(nsOf[id]); }
      highlight([id]);
    });
  });

  // following a request: the page holds the traces of the routes' sample requests, made when it was written
  var traces = JSON.parse(document.getElementById('traces').textContent);
  var traceInput = document.getElementById('trace-request');
  var traceStory = document.getElementById('trace-story');
  var traceHint = traceStory.textContent;
  traces.forEach(function (t) {
    var option = document.createElement('option');
    option.value = t.label;
    document.getElementById('trace-requests').appendChild(option);
  });
  function follow(label) {
    var t = traces.filter(function (x) { return x.label === label; })[0];
    if (!label) {
      traceStory.textContent = traceHint;
      highlight([]);
    } else if (!t) {
      traceStory.textContent = 'Not one of the sample requests: run meshlint trace PATH --url URL [--from SOURCE].';
      highlight([]);
    } else {
      traceStory.textContent = t.story.concat([t.outcome, '', 'meshlint trace PATH ' + t.command]).join('\n');
      // one namespace is open at a time: the destination's; the others on the path light up closed
      var last = nsOf[t.nodes[t.nodes.length - 1]];
      if (groups[last] && !isOpen(last)) { openGroup(last); }
      highlight(t.nodes);
    }
  }
  traceInput.addEventListener('change', function () { follow(traceInput.value.trim()); });

  // for other scripts and tests: meshlintGraph.highlight(['VirtualService/shop/shop'], ['e3'])
  window.meshlintGraph = { show: show, open: openGroup, fit: fit, highlight: highlight, follow: follow };
  apply();
}());
