// tongyeok explorer: draws what a served model computes for a text, from this server's own routes
// (/info, /inspect, /tokenize, /embed, /embed_all). Plain JavaScript and SVG, nothing loaded from
// elsewhere. Shapes: T tokens, C dimensions (channels), L layers, H heads, N sentences.
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** The longest text sent at all; longer is refused here, before the server is asked. */
const MAX_CHARS = 20000;
/** The most sentences compared at once (the similarity matrix is N × N). */
const MAX_SENTENCES = 64;

const $ = (id) => document.getElementById(id);

const state = {
  info: null,          // GET /info
  inspect: null,       // POST /inspect for the text
  truncate: false,     // whether the next run asks /inspect for the first tokens only
  wanted: null,        // a link's layer, head and matrix view, for its first run
  sentences: null,     // {texts, vectors (N×C), tokens (N lists), tokenVectors (N × T_i × C), pooling}
  pair: [0, 1],        // the similarity cell whose token pairs are shown
  matrixSel: null,     // {r, c}
  attentionSel: null,  // {r, c}
  projectionSel: -1,
  key: sessionStorage.getItem('tongyeok-api-key') || '',
};

// ---- talking to the server ----

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (state.key) headers['Authorization'] = 'Bearer ' + state.key;
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.ok) return res.json();
  let message = res.status + ' ' + res.statusText;
  try {
    const e = await res.json();
    message = typeof e.error === 'string' ? e.error : (e.error && e.error.message) || message;
  } catch (ignored) { /* not JSON: keep the status line */ }
  if (res.status === 401) {
    $('key-row').hidden = false;
    message = 'this server needs an API key: enter it above, then run again (' + message + ')';
  }
  throw new ApiError(res.status, message);
}

function showError(message, action) {
  const box = $('error');
  box.replaceChildren(document.createTextNode(message));
  if (action) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.textContent = action.label;
    b.addEventListener('click', action.run);
    box.append(' ', b);
  }
  box.hidden = false;
}

function clearError() {
  $('error').hidden = true;
}

function status(text) {
  $('status').textContent = text;
}

// ---- start: wait for the models, fill the controls ----

async function connect() {
  for (;;) {
    try {
      state.info = await api('/info');
      break;
    } catch (e) {
      if (e.status === 503) {
        status('the server is ' + e.message.replace(/^not ready: /, '') + '…');
      } else if (e.status === 401) {
        status('waiting for an API key');
        showError(e.message);
        await new Promise((resolve) => $('api-key').addEventListener('change', resolve, { once: true }));
        continue;
      } else {
        status('cannot reach the server: ' + e.message);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  clearError();
  const select = $('model');
  select.replaceChildren();
  for (const m of state.info.models) {
    const o = document.createElement('option');
    o.value = m.name;
    o.textContent = m.name + ' — ' + m.dimensions + ' dims, ' + m.layers + ' layers × ' + m.heads + ' heads, '
        + m.tokenizer;
    select.append(o);
  }
  fillCompareChoices();
  const d = state.info.models[0];
  status('serving ' + state.info.models.map((m) => m.name).join(', ')
      + (state.info.tokenizers.length ? ' and the tokenizers ' + state.info.tokenizers.map((t) => t.name).join(', ') : '')
      + ' · inspects up to ' + state.info.max_inspect_tokens + ' tokens · default ' + d.name);
  $('run').disabled = false;
  // A link carries what to show: ?text=…&model=…&pair=…&layer=…&head=…&matrix=…; with a text, it runs at once.
  const url = new URLSearchParams(location.search);
  if (url.has('model') && modelInfo(url.get('model'))) $('model').value = url.get('model');
  showPairInput();
  if (url.has('pair')) $('pair').value = url.get('pair');
  state.wanted = { layer: url.get('layer'), head: url.get('head'), matrix: url.get('matrix') };
  if (url.has('text') && url.get('text').trim() !== '') {
    $('text').value = url.get('text');
    run();
  }
}

/** The page's state in its address, so that a link (or a screenshot's caption) shows the same view. */
function saveUrl() {
  const p = new URLSearchParams();
  p.set('text', $('text').value);
  p.set('model', $('model').value);
  if (!$('pair-row').hidden) p.set('pair', $('pair').value);
  if ($('layer').value) p.set('layer', $('layer').value);
  if ($('head').value) p.set('head', $('head').value);
  if ($('matrix-layer').value) p.set('matrix', $('matrix-layer').value);
  history.replaceState(null, '', '?' + p.toString());
}

function modelInfo(name) {
  return state.info.models.find((m) => m.name === name);
}

function fillCompareChoices() {
  const others = [];
  for (const m of state.info.models) others.push({ name: m.name, tokenizer: m.tokenizer });
  for (const t of state.info.tokenizers) others.push({ name: t.name, tokenizer: t.tokenizer });
  const box = $('compare-choices');
  box.replaceChildren();
  for (const o of others) {
    const label = document.createElement('label');
    const cb = document.createElement('input');
    cb.type = 'checkbox';
    cb.value = o.name;
    cb.checked = true;
    cb.addEventListener('change', () => state.inspect && drawCompare());
    label.append(cb, ' ' + o.name + ' (' + o.tokenizer + ')');
    box.append(label);
  }
  $('compare').hidden = others.length < 2;
}

// ---- a run ----

async function run() {
  const text = $('text').value;
  clearError();
  if (text.trim() === '') {
    showError('type some text first');
    return;
  }
  if (text.length > MAX_CHARS) {
    showError('the text has ' + text.length + ' characters; the explorer takes at most ' + MAX_CHARS
        + ' (and draws at most ' + state.info.max_inspect_tokens + ' tokens)');
    return;
  }
  const sentenceLines = $('sentences').value.split('\n').map((s) => s.trim()).filter((s) => s !== '');
  if (sentenceLines.length + 1 > MAX_SENTENCES) {
    showError('the similarity view compares at most ' + MAX_SENTENCES + ' sentences; there are '
        + (sentenceLines.length + 1));
    return;
  }
  const model = $('model').value;
  const button = $('run');
  button.disabled = true;
  status('running ' + model + '…');
  const t0 = performance.now();
  try {
    let inspect;
    try {
      const reranker = modelInfo(model).kind === 'reranker';
      inspect = await api('/inspect', reranker ? { model, text, pair: $('pair').value, truncate: state.truncate }
          : { model, text, truncate: state.truncate });
    } catch (e) {
      hideViews(); // what they show belongs to another text
      if (e.message.includes('--max-inspect-tokens')) {
        // Spoken to the reader: how long the text is, how much the page draws, and the way on.
        const most = Math.min(state.info.max_inspect_tokens, modelInfo(model).max_input_length);
        const has = (e.message.match(/has (\d+) tokens/) || [])[1];
        showError((has ? 'This text has ' + has + ' tokens' : 'This text is too long') + '; the explorer draws at most '
            + most + ' so that its pictures stay readable (the server\'s --max-inspect-tokens).', {
          label: 'Inspect the first ' + most + ' tokens',
          run: () => { state.truncate = true; run(); },
        });
        status('refused: the text is too long to draw whole');
        return;
      }
      throw e;
    }
    state.truncate = false;
    state.inspect = inspect;
    state.matrixSel = null;
    state.attentionSel = null;
    fillLayerControls(inspect);
    drawTokens();
    drawMatrix();
    drawAttention();
    drawCrossEncoder();
    saveUrl();
    for (const id of ['tokens', 'matrix', 'attention']) $(id).hidden = false;
    await drawCompare();
    await loadSentences(model, [text, ...sentenceLines]);
    $('similarity').hidden = false;
    $('projection').hidden = false;
    drawSimilarity();
    drawProjection();
    status(model + ': ' + inspect.tokens.length + ' tokens × ' + inspect.dimensions + ' dimensions, '
        + inspect.layers + ' layers × ' + inspect.heads + ' heads, in ' + Math.round(performance.now() - t0) + ' ms');
  } catch (e) {
    showError(e.message);
    status('the last run failed');
  } finally {
    button.disabled = false;
  }
}

function hideViews() {
  for (const id of ['tokens', 'matrix', 'attention', 'similarity', 'projection', 'rerank']) $(id).hidden = true;
}

// ---- a cross-encoder's pair ----

/** The document box shows for a reranker only. */
function showPairInput() {
  const m = state.info && modelInfo($('model').value);
  $('pair-row').hidden = !(m && m.kind === 'reranker');
}

/** The pair's score, and per layer how much attention crosses from query to document and back. */
function drawCrossEncoder() {
  const ins = state.inspect;
  const section = $('rerank');
  if (ins.pair === undefined) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  const seq = ins.tokens.map((t) => t.sequence);
  const count = (s) => seq.filter((x) => x === s).length;
  $('pair-score').textContent = 'relevance score ' + (ins.score === null ? '— (not a cross-encoder)' : ins.score.toFixed(4))
      + ' · ' + count(0) + ' query tokens, ' + count(1) + ' document tokens, ' + count(-1) + ' markers';
  const flow = $('pair-flow');
  flow.replaceChildren();
  ins.attention.forEach((layer, l) => {
    const share = (from, to) => {
      let sum = 0;
      let rows = 0;
      for (const head of layer) {
        head.forEach((row, i) => {
          if (seq[i] !== from) return;
          rows++;
          row.forEach((p, j) => { if (seq[j] === to) sum += p; });
        });
      }
      return rows === 0 ? 0 : sum / rows;
    };
    const q2d = share(0, 1);
    const d2q = share(1, 0);
    const row = document.createElement('div');
    row.className = 'flow-row';
    row.dataset.testid = 'pair-flow-layer';
    row.dataset.layer = String(l + 1);
    row.dataset.queryToDocument = q2d.toFixed(6);
    row.dataset.documentToQuery = d2q.toFixed(6);
    const bar = (v, cls) => {
      const b = document.createElement('span');
      b.className = 'bar ' + cls;
      b.style.width = Math.round(v * 200) + 'px';
      return b;
    };
    row.append('layer ' + (l + 1) + ' ', bar(q2d, 'q2d'), ' query→document ' + (100 * q2d).toFixed(1) + '% ',
        bar(d2q, 'd2q'), ' document→query ' + (100 * d2q).toFixed(1) + '%');
    flow.append(row);
  });
}

// ---- tokens ----

/** Byte-level BPE spells bytes as Latin-1 and Latin Extended-A letters (Ġ, ì): not for people. */
const BYTE_LEVEL = /[\u00a1-\u017f]/;

/** The text a token's offsets point into: a pair's document for its tokens, else the text. */
function sourceOf(ins, tok) {
  return tok && tok.sequence === 1 ? ins.pair : ins.text;
}

function tokenLabel(tok, text) {
  if (tok.kind === 'special') return tok.text;
  const piece = tok.token ?? tok.text; // the vocabulary entry
  if (tok.kind === 'part' && !BYTE_LEVEL.test(piece)) return piece;
  const span = text.slice(tok.start, tok.stop);
  return (span === '' ? tok.text : span).replace(/ /g, '␣').replace(/\n/g, '⏎').replace(/\t/g, '⇥');
}

function chip(tok, text, onActive, attrs) {
  const c = document.createElement('span');
  c.className = 'chip ' + tok.kind;
  c.setAttribute('role', 'listitem');
  c.tabIndex = 0;
  for (const [k, v] of Object.entries(attrs)) c.setAttribute(k, v);
  const piece = document.createElement('span');
  piece.className = 'piece';
  piece.textContent = tokenLabel(tok, text);
  const id = document.createElement('span');
  id.className = 'id';
  id.textContent = tok.id;
  c.append(piece, id);
  const where = tok.kind === 'special' ? 'added marker' : 'chars ' + tok.start + '–' + tok.stop
      + ' "' + text.slice(tok.start, tok.stop) + '"';
  c.title = 'token "' + (tok.token ?? tok.text) + '" · id ' + tok.id + ' · ' + tok.kind + ' · ' + where;
  c.addEventListener('mouseenter', () => onActive(c, tok));
  c.addEventListener('focus', () => onActive(c, tok));
  c.addEventListener('mouseleave', () => onActive(null, null));
  c.addEventListener('blur', () => onActive(null, null));
  return c;
}

function markSource(text, tok) {
  const src = $('source');
  if (!tok || tok.kind === 'special' || tok.stop <= tok.start) {
    src.replaceChildren(document.createTextNode(text));
    return;
  }
  const mark = document.createElement('mark');
  mark.textContent = text.slice(tok.start, tok.stop);
  src.replaceChildren(text.slice(0, tok.start), mark, text.slice(tok.stop));
}

function drawTokens() {
  const ins = state.inspect;
  const chips = $('chips');
  chips.replaceChildren();
  const active = (el, tok) => {
    for (const c of chips.children) c.classList.toggle('active', c === el);
    markSource(ins.text, tok && tok.sequence === 1 ? null : tok);
    highlightMatrixRow(el ? Number(el.dataset.index) : -1);
  };
  ins.tokens.forEach((tok, i) => {
    chips.append(chip(tok, sourceOf(ins, tok), active, {
      'data-testid': 'token', 'data-id': tok.id, 'data-index': i, 'data-kind': tok.kind,
    }));
  });
  markSource(ins.text, null);
  const counts = {};
  for (const t of ins.tokens) counts[t.kind] = (counts[t.kind] || 0) + 1;
  let summary = ins.tokens.length + ' tokens (' + Object.entries(counts).map(([k, n]) => n + ' ' + k).join(', ')
      + ') from ' + [...ins.text].length + ' characters';
  if (ins.truncated) {
    summary += ' — cut: the text has ' + ins.original_tokens + ' tokens, only the first ' + ins.tokens.length
        + ' are drawn';
  }
  $('token-summary').textContent = summary;
  // The model's vocabulary hardly covers the text: say so, and which model would (as the CLI does).
  $('coverage').hidden = !ins.coverage;
  $('coverage').textContent = ins.coverage || '';
}

/** UTF-8 byte offset → UTF-16 index, for /tokenize's byte offsets. */
function byteToChar(text) {
  const map = new Map([[0, 0]]);
  let bytes = 0;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i);
    const units = cp > 0xffff ? 2 : 1;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += units;
    map.set(bytes, i);
  }
  return (b) => map.get(b) ?? 0;
}

async function drawCompare() {
  const rows = $('compare-rows');
  const text = $('text').value;
  const boxes = [...$('compare-choices').querySelectorAll('input')];
  for (const cb of boxes) cb.disabled = cb.value === $('model').value; // that one is drawn above
  const chosen = boxes.filter((cb) => cb.checked && !cb.disabled).map((cb) => cb.value);
  const results = await Promise.all(chosen.map((name) => api('/tokenize', { model: name, inputs: text })
      .then((r) => ({ name, tokens: r[0] }), (e) => ({ name, error: e.message }))));
  rows.replaceChildren();
  for (const r of results) {
    const row = document.createElement('div');
    row.className = 'compare-row';
    const name = document.createElement('div');
    name.className = 'name';
    if (r.error) {
      name.textContent = r.name + ': ' + r.error;
      row.append(name);
      rows.append(row);
      continue;
    }
    const at = byteToChar(text);
    const toks = r.tokens.map((t) => ({ ...t, start: t.special ? 0 : at(t.start), stop: t.special ? 0 : at(t.stop) }));
    name.textContent = r.name + ': ' + toks.length + ' tokens';
    const list = document.createElement('div');
    list.className = 'chips';
    list.setAttribute('role', 'list');
    const active = (el, tok) => {
      for (const c of list.children) c.classList.toggle('active', c === el);
      markSource(text, tok);
    };
    for (const t of toks) list.append(chip(t, text, active, { 'data-id': t.id }));
    row.append(name, list);
    rows.append(row);
  }
}

// ---- colour scales (colour-blind safe: ColorBrewer PuOr diverging, Blues sequential) ----

const DIVERGING = ['#2d004b', '#542788', '#8073ac', '#b2abd2', '#d8daeb', '#f7f7f7',
  '#fee0b6', '#fdb863', '#e08214', '#b35806', '#7f3b08'];
const SEQUENTIAL = ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c',
  '#08306b'];

function interpolate(stops, x) {
  const t = Math.min(1, Math.max(0, x)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(t));
  const f = t - i;
  const a = parseInt(stops[i].slice(1), 16);
  const b = parseInt(stops[i + 1].slice(1), 16);
  const ch = (s) => Math.round(((a >> s) & 255) * (1 - f) + ((b >> s) & 255) * f);
  return 'rgb(' + ch(16) + ',' + ch(8) + ',' + ch(0) + ')';
}

const diverging = (range) => (v) => interpolate(DIVERGING, 0.5 + v / (2 * range));
const sequential = (max) => (v) => interpolate(SEQUENTIAL, v / max);

function legend(el, stops, ticks, caption) {
  const bar = document.createElement('span');
  bar.className = 'bar';
  bar.style.background = 'linear-gradient(to right, ' + stops.join(', ') + ')';
  el.replaceChildren(caption + ' ', ticks[0], bar, ticks[ticks.length - 1]);
  if (ticks.length === 3) el.append(' (middle ' + ticks[1] + ')');
}

/** A value to 4 decimals, a space where the minus sign would be so that columns line up. */
const fmt = (v) => (v >= 0 ? ' ' : '') + v.toFixed(4);

// ---- SVG helpers ----

function svg(tag, attrs, parent) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (parent) parent.append(el);
  return el;
}

/**
 * A grid of cells with row labels on the left and column labels on top, at fixed pixel sizes:
 * the attention map, the cosine matrix, the token-pair terms. Arrow keys move the selection.
 */
function grid(container, o) {
  const { rows, cols, cell, rowLabels, colLabels, value, color, testid, onCell, textIn } = o;
  const left = o.left ?? 96;
  const top = o.top ?? 70;
  const w = left + cols * cell + 4;
  const h = top + rows * cell + 4;
  const root = svg('svg', { width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, role: 'img', 'font-size': 11 });
  const labels = svg('g', { 'font-size': Math.max(8, Math.min(11, cell - 1)) }, root);
  for (let r = 0; r < rows; r++) {
    const t = svg('text', { x: left - 4, y: top + r * cell + cell / 2 + 4, 'text-anchor': 'end' }, labels);
    t.textContent = clip(rowLabels[r], 14);
  }
  for (let c = 0; c < cols; c++) {
    const x = left + c * cell + cell / 2 + 4;
    const t = svg('text', { x, y: top - 4, transform: 'rotate(-60 ' + x + ' ' + (top - 4) + ')' }, labels);
    t.textContent = clip(colLabels[c], 12);
  }
  const cells = svg('g', { 'shape-rendering': 'crispEdges' }, root);
  const frag = document.createDocumentFragment();
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = value(r, c);
      const rect = svg('rect', {
        x: left + c * cell, y: top + r * cell, width: cell, height: cell, fill: color(v),
        'data-row': r, 'data-col': c, 'data-value': String(v),
      }, frag);
      if (testid) rect.setAttribute('data-testid', testid);
      if (textIn && cell >= 30) {
        const t = svg('text', {
          x: left + c * cell + cell / 2, y: top + r * cell + cell / 2 + 4, 'text-anchor': 'middle',
          fill: Math.abs(v) > 0.55 ? '#fff' : '#111', 'pointer-events': 'none',
        }, null);
        t.textContent = v.toFixed(2);
        frag.append(t);
      }
    }
  }
  cells.append(frag);
  const sel = svg('rect', { class: 'sel', fill: 'none', width: cell, height: cell, visibility: 'hidden' }, root);
  const show = (r, c, select) => {
    sel.setAttribute('x', left + c * cell);
    sel.setAttribute('y', top + r * cell);
    sel.setAttribute('visibility', 'visible');
    onCell(r, c, value(r, c), select);
  };
  root.addEventListener('mousemove', (e) => {
    const d = e.target.dataset;
    if (d && d.row !== undefined) onCell(Number(d.row), Number(d.col), Number(d.value), false);
  });
  root.addEventListener('click', (e) => {
    const d = e.target.dataset;
    if (d && d.row !== undefined) {
      o.sel.r = Number(d.row);
      o.sel.c = Number(d.col);
      show(o.sel.r, o.sel.c, true);
    }
  });
  container.replaceChildren(root);
  container.onkeydown = (e) => {
    const moved = arrow(e, o.sel, rows, cols);
    if (moved || e.key === 'Enter') {
      e.preventDefault();
      show(o.sel.r, o.sel.c, e.key === 'Enter');
    }
  };
  if (o.sel.r >= 0) show(o.sel.r, o.sel.c, false);
  return root;
}

function arrow(e, sel, rows, cols) {
  const d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
  if (!d) return false;
  sel.r = Math.min(rows - 1, Math.max(0, (sel.r < 0 ? 0 : sel.r) + d[0]));
  sel.c = Math.min(cols - 1, Math.max(0, (sel.c < 0 ? 0 : sel.c) + d[1]));
  return true;
}

function clip(s, n) {
  const chars = [...s];
  return chars.length > n ? chars.slice(0, n - 1).join('') + '…' : s;
}

// ---- embedding matrix ----

function fillLayerControls(ins) {
  const m = $('matrix-layer');
  const keep = m.value;
  m.replaceChildren();
  const opt = (sel, value, label) => {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = label;
    sel.append(o);
  };
  opt(m, 'static', 'lookup table (static token rows)');
  opt(m, '0', 'input to layer 1 (token + position + type, normalised)');
  for (let l = 1; l <= ins.layers; l++) opt(m, String(l), 'output of layer ' + l + (l === ins.layers ? ' (last)' : ''));
  const wanted = state.wanted || {};
  const pick = (sel, value, fallback) => [...sel.options].some((o) => o.value === value) ? value : fallback;
  m.value = pick(m, wanted.matrix, pick(m, keep, 'static'));

  const layer = $('layer');
  const keepLayer = layer.value;
  layer.replaceChildren();
  for (let l = 1; l <= ins.layers; l++) opt(layer, String(l), 'layer ' + l);
  layer.value = pick(layer, wanted.layer, Number(keepLayer) >= 1 && Number(keepLayer) <= ins.layers ? keepLayer : '1');

  const head = $('head');
  const keepHead = head.value;
  head.replaceChildren();
  opt(head, 'mean', 'mean of ' + ins.heads + ' heads');
  for (let h = 1; h <= ins.heads; h++) opt(head, String(h), 'head ' + h);
  head.value = pick(head, wanted.head, pick(head, keepHead, '1'));
  state.wanted = null; // the link's choices hold for the first run only
}

function matrixRows() {
  const ins = state.inspect;
  const v = $('matrix-layer').value;
  return v === 'static' ? ins.static : ins.hidden[Number(v)];
}

function percentileAbs(rows, p) {
  const all = [];
  for (const r of rows) for (const v of r) all.push(Math.abs(v));
  all.sort((a, b) => a - b);
  return all.length ? Math.max(all[Math.min(all.length - 1, Math.floor(p * all.length))], 1e-6) : 1;
}

function drawMatrix() {
  const ins = state.inspect;
  const rows = matrixRows();
  const T = rows.length;
  const C = rows[0].length;
  const range = percentileAbs(rows, 0.99);
  const color = diverging(range);
  const rowH = 14;
  const root = svg('svg', {
    viewBox: '0 0 ' + C + ' ' + T, preserveAspectRatio: 'none', height: T * rowH, role: 'img',
    'aria-label': T + ' by ' + C + ' matrix',
  });
  const frag = document.createDocumentFragment();
  for (let t = 0; t < T; t++) {
    for (let c = 0; c < C; c++) {
      const v = rows[t][c];
      svg('rect', {
        x: c, y: t, width: 1, height: 1, fill: color(v),
        'data-testid': 'matrix-cell', 'data-row': t, 'data-col': c, 'data-value': String(v),
      }, frag);
    }
  }
  const cells = svg('g', { 'shape-rendering': 'crispEdges' }, root);
  cells.append(frag);
  const rowMark = svg('rect', {
    class: 'row-mark', x: 0, width: C, height: 1, fill: 'none', stroke: '#e8710a', 'stroke-width': 2,
    'vector-effect': 'non-scaling-stroke', visibility: 'hidden',
  }, root);
  const sel = svg('rect', {
    class: 'sel', width: 1, height: 1, fill: 'none', 'vector-effect': 'non-scaling-stroke', visibility: 'hidden',
  }, root);
  const heat = $('matrix-heat');
  heat.replaceChildren(root);
  heat.rowMark = rowMark;

  const labels = $('matrix-rows');
  labels.replaceChildren();
  ins.tokens.forEach((tok) => {
    const d = document.createElement('div');
    d.textContent = clip(tokenLabel(tok, sourceOf(ins, tok)), 14);
    labels.append(d);
  });

  const readout = (t, c, v) => {
    const tok = ins.tokens[t];
    $('matrix-readout').textContent = 'token ' + t + ' "' + tokenLabel(tok, sourceOf(ins, tok)) + '" (id ' + tok.id
        + '), dimension ' + c + ': ' + v;
  };
  const select = (t, c) => {
    state.matrixSel = { r: t, c };
    sel.setAttribute('x', c);
    sel.setAttribute('y', t);
    sel.setAttribute('visibility', 'visible');
    readout(t, c, rows[t][c]);
  };
  root.addEventListener('mousemove', (e) => {
    const d = e.target.dataset;
    if (d && d.row !== undefined) readout(Number(d.row), Number(d.col), d.value);
  });
  root.addEventListener('click', (e) => {
    const d = e.target.dataset;
    if (d && d.row !== undefined) select(Number(d.row), Number(d.col));
  });
  heat.onkeydown = (e) => {
    const s = state.matrixSel || { r: -1, c: -1 };
    if (arrow(e, s, T, C)) {
      e.preventDefault();
      select(s.r, s.c);
    }
  };
  if (state.matrixSel) select(state.matrixSel.r, state.matrixSel.c);

  legend($('matrix-legend'), DIVERGING, ['≤ ' + (-range).toFixed(3), '0', '≥ ' + range.toFixed(3)],
      'value (99% of |values| within the bar)');
  const layer = $('matrix-layer');
  $('matrix-shape').textContent = T + ' tokens × ' + C + ' dimensions · ' + layer.options[layer.selectedIndex].text;
  drawNumbers(rows);
}

function highlightMatrixRow(t) {
  const mark = $('matrix-heat').rowMark;
  if (!mark) return;
  if (t < 0) {
    mark.setAttribute('visibility', 'hidden');
  } else {
    mark.setAttribute('y', t);
    mark.setAttribute('visibility', 'visible');
  }
}

function drawNumbers(rows) {
  const pre = $('matrix-text');
  pre.hidden = !$('matrix-numbers').checked;
  if (pre.hidden) return;
  const ins = state.inspect;
  const width = Math.max(...ins.tokens.map((t) => [...tokenLabel(t, sourceOf(ins, t))].length)) + 2;
  pre.textContent = rows.map((r, t) => {
    const label = tokenLabel(ins.tokens[t], sourceOf(ins, ins.tokens[t]));
    return label + ' '.repeat(Math.max(1, width - [...label].length)) + '[' + r.map((v) => fmt(v)).join(', ') + ']';
  }).join('\n');
}

// ---- attention ----

function attentionMatrix() {
  const ins = state.inspect;
  const layer = ins.attention[Number($('layer').value) - 1];
  const h = $('head').value;
  if (h !== 'mean') return layer[Number(h) - 1];
  const T = layer[0].length;
  const out = [];
  for (let i = 0; i < T; i++) {
    const row = new Array(T).fill(0);
    for (const head of layer) for (let j = 0; j < T; j++) row[j] += head[i][j];
    out.push(row.map((v) => v / layer.length));
  }
  return out;
}

function drawAttention() {
  const ins = state.inspect;
  const a = attentionMatrix();
  const T = a.length;
  const labels = ins.tokens.map((t) => tokenLabel(t, sourceOf(ins, t)));
  const cell = Math.max(6, Math.min(24, Math.floor(440 / T)));
  let max = 0;
  for (const r of a) for (const v of r) max = Math.max(max, v);
  const sel = state.attentionSel || (state.attentionSel = { r: -1, c: -1 });
  grid($('attention-heat'), {
    rows: T, cols: T, cell, rowLabels: labels, colLabels: labels, value: (r, c) => a[r][c],
    color: sequential(max || 1), testid: 'attention-cell', sel,
    onCell: (r, c, v) => {
      $('attention-readout').textContent = '"' + labels[r] + '" reads "' + labels[c] + '" with weight ' + v;
    },
  });
  legend($('attention-legend'), SEQUENTIAL, ['0', max.toFixed(3)], 'weight');
  const head = $('head');
  $('attention-shape').textContent = T + ' × ' + T + ' · layer ' + $('layer').value + ', '
      + head.options[head.selectedIndex].text;
  drawHeadView(a, labels);
}

/** BertViz's head view: a line from each token to each token it reads, as thick as the weight. */
function drawHeadView(a, labels) {
  const T = a.length;
  const rowH = T > 40 ? 12 : 18;
  const w = 380;
  const x0 = 120;
  const x1 = w - 120;
  const h = T * rowH + 10;
  const root = svg('svg', { width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, role: 'img',
    'aria-label': 'attention as lines from each token (left) to the tokens it reads (right)' });
  const lines = svg('g', {}, root);
  const y = (i) => 8 + i * rowH + rowH / 2;
  const all = [];
  for (let i = 0; i < T; i++) {
    for (let j = 0; j < T; j++) {
      if (a[i][j] < 0.01) continue;
      const l = svg('line', {
        x1: x0, y1: y(i), x2: x1, y2: y(j), stroke: '#2171b5', 'stroke-width': 2,
        'stroke-opacity': Math.min(1, a[i][j]).toFixed(3),
      }, lines);
      l.dataset.from = i;
      all.push(l);
    }
  }
  for (let i = 0; i < T; i++) {
    const t = svg('text', { x: x0 - 6, y: y(i) + 4, 'text-anchor': 'end', tabindex: 0 }, root);
    t.textContent = clip(labels[i], 14);
    const only = (on) => {
      for (const l of all) l.setAttribute('visibility', !on || Number(l.dataset.from) === i ? 'visible' : 'hidden');
      t.classList.toggle('lit', on);
    };
    t.addEventListener('mouseenter', () => only(true));
    t.addEventListener('mouseleave', () => only(false));
    t.addEventListener('focus', () => only(true));
    t.addEventListener('blur', () => only(false));
    const r = svg('text', { x: x1 + 6, y: y(i) + 4 }, root);
    r.textContent = clip(labels[i], 14);
  }
  $('head-view').replaceChildren(root);
}

// ---- similarity ----

async function loadSentences(model, texts) {
  const info = modelInfo(model);
  const [vectors, tokenVectors, tokens] = await Promise.all([
    api('/embed', { model, inputs: texts, normalize: false, truncate: true }),
    api('/embed_all', { model, inputs: texts, truncate: true }),
    api('/tokenize', { model, inputs: texts }),
  ]);
  // The server prints float32 values; fround makes each the float it was, not the nearest double
  // to its decimal, so that arithmetic here matches the model's.
  const f32 = (v) => v.map(Math.fround);
  state.sentences = {
    texts, vectors: vectors.map(f32), tokenVectors: tokenVectors.map((m) => m.map(f32)), pooling: info.pooling,
    tokens: tokens.map((list, i) => {
      const at = byteToChar(texts[i]);
      return list.slice(0, tokenVectors[i].length)
          .map((t) => tokenLabel({ ...t, start: at(t.start), stop: at(t.stop) }, texts[i]));
    }),
  };
  const n = texts.length;
  if (state.pair[0] >= n || state.pair[1] >= n) state.pair = [0, Math.min(1, n - 1)];
}

const dot = (a, b) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const norm = (a) => Math.sqrt(dot(a, a));
const cosine = (a, b) => dot(a, b) / (norm(a) * norm(b));

function drawSimilarity() {
  const s = state.sentences;
  const n = s.texts.length;
  const cos = s.vectors.map((a) => s.vectors.map((b) => cosine(a, b)));
  const labels = s.texts.map((t, i) => (i + 1) + ' ' + t);
  const cell = n <= 12 ? 40 : Math.max(10, Math.floor(480 / n));
  grid($('similarity-heat'), {
    rows: n, cols: n, cell, rowLabels: labels, colLabels: labels, left: 110, top: 90,
    value: (r, c) => cos[r][c], color: diverging(1), testid: 'similarity-cell', textIn: true,
    sel: { r: state.pair[0], c: state.pair[1] },
    onCell: (r, c, v, select) => {
      $('pair-readout').textContent = 'cosine of ' + (r + 1) + ' and ' + (c + 1) + ': ' + Number(v).toFixed(6);
      if (select) {
        state.pair = [r, c];
        drawPair();
      }
    },
  });
  drawPair();
}

/**
 * How the cosine of a pair splits over token pairs. With mean pooling u = (1/Ta) Σ a_s and
 * v = (1/Tb) Σ b_t, so cos(u, v) = Σ_s Σ_t a_s·b_t / (Ta Tb |u| |v|): one exact term per pair.
 */
function drawPair() {
  const s = state.sentences;
  const [i, j] = state.pair;
  const A = s.tokenVectors[i];
  const B = s.tokenVectors[j];
  const rowsLabels = s.tokens[i];
  const colLabels = s.tokens[j];
  let terms;
  let summary;
  if (s.pooling === 'mean') {
    const mean = (M) => M[0].map((_, c) => M.reduce((acc, r) => acc + r[c], 0) / M.length);
    const u = mean(A);
    const v = mean(B);
    const scale = A.length * B.length * norm(u) * norm(v);
    terms = A.map((a) => B.map((b) => dot(a, b) / scale));
    let sum = 0;
    let best = [0, 0];
    terms.forEach((r, x) => r.forEach((t, y) => {
      sum += t;
      if (t > terms[best[0]][best[1]]) best = [x, y];
    }));
    summary = 'cosine(' + (i + 1) + ', ' + (j + 1) + ') = ' + cosine(s.vectors[i], s.vectors[j]).toFixed(6)
        + ' = the sum of these ' + A.length + ' × ' + B.length + ' token-pair terms (' + sum.toFixed(6) + '); '
        + 'largest: "' + rowsLabels[best[0]] + '" × "' + colLabels[best[1]] + '" '
        + terms[best[0]][best[1]].toFixed(4);
  } else {
    terms = A.map((a) => B.map((b) => cosine(a, b)));
    summary = s.pooling + ' pooling: the score is one token pair\'s alone (cosine '
        + cosine(s.vectors[i], s.vectors[j]).toFixed(6) + '); shown: the cosine of every token pair';
  }
  let range = 0;
  for (const r of terms) for (const v of r) range = Math.max(range, Math.abs(v));
  $('pair-h').textContent = 'Token pairs of ' + (i + 1) + ' and ' + (j + 1);
  $('pair-summary').textContent = summary;
  const cell = Math.max(8, Math.min(26, Math.floor(420 / Math.max(A.length, B.length))));
  grid($('pair-heat'), {
    rows: A.length, cols: B.length, cell, rowLabels: rowsLabels, colLabels, value: (r, c) => terms[r][c],
    color: diverging(range || 1), testid: null, sel: { r: -1, c: -1 },
    onCell: (r, c, v) => {
      $('pair-readout').textContent = '"' + rowsLabels[r] + '" × "' + colLabels[c] + '": ' + Number(v).toFixed(6);
    },
  });
  legend($('pair-legend'), DIVERGING, [(-range).toFixed(4), '0', range.toFixed(4)], 'term');
}

// ---- projection ----

/**
 * The first two principal components of the rows of X (N × C), by power iteration on XᵀX with
 * deflation. Returns the coordinates (N × 2) and the share of variance each axis explains.
 */
function pca(X) {
  const N = X.length;
  const C = X[0].length;
  const mean = new Array(C).fill(0);
  for (const r of X) for (let c = 0; c < C; c++) mean[c] += r[c] / N;
  const Y = X.map((r) => r.map((v, c) => v - mean[c]));
  let total = 0;
  for (const r of Y) total += dot(r, r);
  const comps = [];
  const shares = [];
  for (let k = 0; k < 2; k++) {
    let v = Array.from({ length: C }, (_, c) => 1 + 0.5 * Math.sin(c + 1 + k));
    let lambda = 0;
    for (let it = 0; it < 300; it++) {
      const Yv = Y.map((r) => dot(r, v));
      const w = new Array(C).fill(0);
      Y.forEach((r, n) => { for (let c = 0; c < C; c++) w[c] += r[c] * Yv[n]; });
      for (const p of comps) {
        const d = dot(w, p);
        for (let c = 0; c < C; c++) w[c] -= d * p[c];
      }
      const len = norm(w);
      if (len < 1e-12) { lambda = 0; break; }
      const next = w.map((x) => x / len);
      const delta = Math.abs(1 - Math.abs(dot(next, v)));
      v = next;
      lambda = len;
      if (delta < 1e-10) break;
    }
    comps.push(v);
    shares.push(total > 0 ? lambda / total : 0);
  }
  const coords = Y.map((r) => comps.map((p) => dot(r, p)));
  for (let k = 0; k < 2; k++) { // a stable sign: the point farthest out lies on the positive side
    let far = 0;
    coords.forEach((c, n) => { if (Math.abs(c[k]) > Math.abs(coords[far][k])) far = n; });
    if (coords[far][k] < 0) coords.forEach((c) => { c[k] = -c[k]; });
  }
  return { coords, shares };
}

function projectionPoints() {
  if ($('projection-of').value === 'tokens') {
    const ins = state.inspect;
    return { vectors: matrixRows(), labels: ins.tokens.map((t) => tokenLabel(t, sourceOf(ins, t))) };
  }
  const s = state.sentences;
  return { vectors: s.vectors, labels: s.texts.map((t, i) => (i + 1) + ' ' + t) };
}

function drawProjection() {
  const { vectors, labels } = projectionPoints();
  const unit = vectors.map((v) => { const n = norm(v) || 1; return v.map((x) => x / n); });
  const { coords, shares } = pca(unit);
  const w = 560;
  const h = 380;
  const pad = 30;
  const xs = coords.map((c) => c[0]);
  const ys = coords.map((c) => c[1]);
  const span = (a) => { const lo = Math.min(...a); const hi = Math.max(...a); return [lo, hi - lo || 1]; };
  const [x0, dx] = span(xs);
  const [y0, dy] = span(ys);
  const px = (x) => pad + ((x - x0) / dx) * (w - 2 * pad - 120);
  const py = (y) => h - pad - ((y - y0) / dy) * (h - 2 * pad);
  const root = svg('svg', { viewBox: '0 0 ' + w + ' ' + h, role: 'img', 'aria-label': 'PCA projection' });
  svg('line', { x1: pad, y1: h - pad + 8, x2: w - pad, y2: h - pad + 8, stroke: '#bbb' }, root);
  const xl = svg('text', { x: pad, y: h - 6 }, root);
  xl.textContent = 'PC 1 (' + (shares[0] * 100).toFixed(1) + '% of variance)';
  const yl = svg('text', { x: 6, y: 16 }, root);
  yl.textContent = 'PC 2 (' + (shares[1] * 100).toFixed(1) + '%)';
  const sentences = $('projection-of').value === 'sentences';
  const points = [];
  coords.forEach((c, n) => {
    const g = svg('g', {}, root);
    const dotEl = svg('circle', {
      cx: px(c[0]), cy: py(c[1]), r: 6, fill: sentences ? interpolate(SEQUENTIAL, 0.75) : '#b35806',
      'fill-opacity': 0.85, stroke: '#fff', 'data-testid': 'projection-point', 'data-index': n,
      'data-x': c[0], 'data-y': c[1], tabindex: 0, role: 'button', 'aria-label': labels[n],
    }, g);
    const title = svg('title', {}, dotEl);
    title.textContent = labels[n];
    const t = svg('text', { x: px(c[0]) + 9, y: py(c[1]) + 4 }, g);
    t.textContent = clip(labels[n], 22);
    const choose = () => selectPoint(n, unit, labels, points);
    dotEl.addEventListener('click', choose);
    dotEl.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        choose();
      }
    });
    points.push(dotEl);
  });
  $('projection-plot').replaceChildren(root);
  $('projection-variance').textContent = labels.length + ' points, PCA of the unit-length vectors; the two axes keep '
      + ((shares[0] + shares[1]) * 100).toFixed(1) + '% of the variance';
  const n = state.projectionSel >= 0 && state.projectionSel < labels.length ? state.projectionSel : 0;
  selectPoint(n, unit, labels, points);
}

function selectPoint(n, unit, labels, points) {
  state.projectionSel = n;
  points.forEach((p, k) => p.classList.toggle('sel', k === n));
  const scored = unit.map((v, k) => ({ k, score: dot(unit[n], v) })).filter((x) => x.k !== n)
      .sort((a, b) => b.score - a.score).slice(0, 5);
  const list = $('neighbours');
  list.replaceChildren();
  $('neighbours-of').textContent = 'of "' + labels[n] + '":';
  for (const { k, score } of scored) {
    const li = document.createElement('li');
    const sc = document.createElement('span');
    sc.className = 'score';
    sc.textContent = score.toFixed(4) + '  ';
    li.append(sc, labels[k]);
    list.append(li);
  }
}

// ---- wiring ----

document.addEventListener('DOMContentLoaded', () => {
  $('run').addEventListener('click', run);
  $('text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (!$('run').disabled) run();
    }
  });
  $('model').addEventListener('change', () => { showPairInput(); if (state.inspect) run(); });
  $('api-key').value = state.key;
  $('api-key').addEventListener('change', () => {
    state.key = $('api-key').value;
    sessionStorage.setItem('tongyeok-api-key', state.key);
  });
  $('matrix-layer').addEventListener('change', () => {
    drawMatrix();
    saveUrl();
    if ($('projection-of').value === 'tokens') drawProjection();
  });
  $('matrix-numbers').addEventListener('change', () => drawNumbers(matrixRows()));
  $('layer').addEventListener('change', () => { drawAttention(); saveUrl(); });
  $('head').addEventListener('change', () => { drawAttention(); saveUrl(); });
  $('projection-of').addEventListener('change', () => { state.projectionSel = -1; drawProjection(); });
  connect();
});
