/// The web page `imgsearch serve` serves at `/` (docs/api.md, "GET /"): the
/// collection grid, each picture's nearest images, search by a dropped or
/// chosen photo, the duplicate groups and the index's info, all over the
/// JSON API under `/api/`.
///
/// One self-contained document: its CSS and JavaScript are inline and it
/// fetches nothing but the API and the thumbnails, so it works offline.
/// Each view has its own address in the fragment (`#page=3`,
/// `#similar=17`, `#duplicates`, `#info`, `#search`), which can be shared;
/// `scripts/test-browser.sh` drives it in a headless Chromium. Paths and
/// messages from the API are inserted as text, never as markup.
enum WebPage {
    static let html: String = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light dark">
    <title>imgsearch</title>
    <link rel="icon" href="data:,">
    <style>
    :root {
      --bg: #f6f7f9; --panel: #ffffff; --text: #1d2330; --muted: #667085; --line: #e3e6eb;
      --accent: #2f6fde; --accent-soft: #e7efff; --danger: #b42318; --danger-soft: #fef3f2;
      --tile: #eceef2; --shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 1px 3px rgba(16, 24, 40, .10);
    }
    @media (prefers-color-scheme: dark) {
      :root {
        --bg: #14161a; --panel: #1d2026; --text: #e6e8ec; --muted: #98a2b3; --line: #2e333b;
        --accent: #6b9cff; --accent-soft: #22304d; --danger: #ff8a80; --danger-soft: #3a1f1f;
        --tile: #262a31; --shadow: none;
      }
    }
    * { box-sizing: border-box; }
    html, body { margin: 0; }
    body {
      font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
      background: var(--bg); color: var(--text); min-height: 100vh;
    }
    a { color: var(--accent); }
    header {
      position: sticky; top: 0; z-index: 10; background: var(--panel); border-bottom: 1px solid var(--line);
      display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 10px 16px;
    }
    header h1 { font-size: 18px; margin: 0; letter-spacing: .2px; }
    header h1 a { color: inherit; text-decoration: none; }
    nav { display: flex; flex-wrap: wrap; gap: 4px; }
    nav a {
      padding: 6px 10px; border-radius: 6px; text-decoration: none; color: var(--text); white-space: nowrap;
    }
    nav a:hover { background: var(--tile); }
    nav a.active { background: var(--accent-soft); color: var(--accent); font-weight: 600; }
    .upload { margin-left: auto; display: flex; align-items: center; gap: 10px; }
    #indexing { color: var(--muted); font-size: 13px; }
    .button {
      display: inline-block; padding: 7px 12px; border-radius: 6px; border: 1px solid var(--accent);
      background: var(--accent); color: #fff; cursor: pointer; font: inherit; font-weight: 600; white-space: nowrap;
    }
    .button.secondary { background: transparent; color: var(--accent); }
    .button:disabled { opacity: .45; cursor: default; }
    #file-input { position: absolute; width: 1px; height: 1px; opacity: 0; overflow: hidden; }
    #file-input:focus-visible + label { outline: 2px solid var(--accent); outline-offset: 2px; }
    main { max-width: 1400px; margin: 0 auto; padding: 16px; }
    .view-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 12px; margin: 4px 0 14px; }
    .view-head h2 { font-size: 20px; margin: 0; }
    .muted { color: var(--muted); }
    .small { font-size: 13px; }
    #error {
      display: none; border: 1px solid var(--danger); background: var(--danger-soft); color: var(--danger);
      border-radius: 8px; padding: 10px 14px; margin-bottom: 14px; overflow-wrap: anywhere;
    }
    #error.shown { display: block; }
    #error strong { margin-right: 2px; }
    #error .request-id { display: block; font-size: 12px; opacity: .8; margin-top: 2px; }
    .loading { display: flex; align-items: center; gap: 10px; color: var(--muted); padding: 24px 0; }
    .spinner {
      width: 18px; height: 18px; border-radius: 50%; border: 2px solid var(--line); border-top-color: var(--accent);
      animation: spin .8s linear infinite; flex: none;
    }
    @keyframes spin { to { transform: rotate(360deg); } }
    .empty { color: var(--muted); padding: 24px 0; }

    /* The picture grids: as many 160px+ columns as fit, so a phone gets two. */
    .grid {
      display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(min(160px, 100%), 1fr));
    }
    @media (max-width: 480px) { .grid { gap: 8px; grid-template-columns: repeat(2, minmax(0, 1fr)); } main { padding: 10px; } }
    .tile {
      display: block; background: var(--panel); border-radius: 8px; overflow: hidden; box-shadow: var(--shadow);
      border: 1px solid var(--line); color: inherit; text-decoration: none; min-width: 0;
    }
    .tile:hover, .tile:focus-visible { border-color: var(--accent); }
    .thumb { aspect-ratio: 1 / 1; background: var(--tile); display: flex; align-items: center; justify-content: center; }
    .thumb img { width: 100%; height: 100%; object-fit: contain; display: block; }
    .thumb.broken::after { content: "no preview"; color: var(--muted); font-size: 12px; }
    .thumb.broken img { display: none; }
    .caption { padding: 6px 8px 8px; font-size: 12px; min-width: 0; }
    .name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; display: block; }
    .metrics { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; }
    .badge {
      display: inline-block; padding: 1px 6px; border-radius: 999px; background: var(--tile); color: var(--text);
      font-size: 11px; font-variant-numeric: tabular-nums; white-space: nowrap;
    }
    .badge.rank { background: var(--accent-soft); color: var(--accent); font-weight: 600; }
    .result.self { border-color: var(--accent); }

    .pager { display: flex; align-items: center; justify-content: center; gap: 12px; margin: 18px 0 6px; }

    /* The query picture above its results. */
    .query { display: flex; gap: 14px; align-items: center; margin-bottom: 16px; min-width: 0; }
    .query .thumb { width: 120px; flex: none; border-radius: 8px; overflow: hidden; border: 1px solid var(--line); }
    .query .thumb-link { flex: none; display: block; }
    .query-text { min-width: 0; overflow-wrap: anywhere; }
    .query-text h2 { font-size: 20px; margin: 0 0 2px; }

    #dupes { display: grid; gap: 12px; }
    .group { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px; box-shadow: var(--shadow); }
    .group-head { display: flex; flex-wrap: wrap; gap: 4px; margin-bottom: 10px; align-items: center; }
    .group-head strong { margin-right: 6px; }
    .group .grid { grid-template-columns: repeat(auto-fill, minmax(min(130px, 100%), 1fr)); }
    @media (max-width: 480px) { .group .grid { grid-template-columns: repeat(2, minmax(0, 1fr)); } }

    #info { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); align-items: start; }
    .card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; box-shadow: var(--shadow); min-width: 0; }
    .card h3 { margin: 0 0 8px; font-size: 15px; }
    .card dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; }
    .card dt { color: var(--muted); }
    .card dd { margin: 0; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; white-space: pre-line; }

    /* Shown while a file is dragged over the page: anywhere is a drop target. */
    #drop {
      display: none; position: fixed; inset: 0; z-index: 50; background: rgba(47, 111, 222, .18);
      border: 4px dashed var(--accent); align-items: center; justify-content: center; pointer-events: none;
    }
    #drop.shown { display: flex; }
    #drop div { background: var(--panel); color: var(--text); padding: 18px 26px; border-radius: 10px; font-size: 18px; font-weight: 600; box-shadow: var(--shadow); }
    /* A phone: the title and the upload button share the first row, the nav
       the second, and the header scrolls away instead of taking a fifth of the screen. */
    @media (max-width: 600px) {
      header { position: static; padding: 8px 10px; gap: 6px 10px; }
      nav { order: 3; width: 100%; }
      nav a { padding: 5px 8px; }
      .upload { order: 2; }
      .query { gap: 10px; }
      .query .thumb { width: 76px; }
      .query-text h2, .view-head h2 { font-size: 17px; }
    }
    [hidden] { display: none !important; }
    </style>
    </head>
    <body>
    <header>
      <h1><a href="#page=1">imgsearch</a></h1>
      <nav id="nav">
        <a href="#page=1" data-view="grid">Collection</a>
        <a href="#duplicates" data-view="duplicates">Duplicates</a>
        <a href="#info" data-view="info">Info</a>
      </nav>
      <div class="upload">
        <span id="indexing" hidden></span>
        <input type="file" id="file-input" accept="image/*,.heic,.heif,.avif,.webp,.tif,.tiff,.bmp">
        <label for="file-input" class="button" title="Or drop a photo anywhere on the page, or paste one">Search by photo</label>
      </div>
    </header>
    <main>
      <div id="error" role="alert"></div>

      <section id="view-grid" class="view" hidden>
        <div class="view-head"><h2>Collection</h2><span id="grid-summary" class="muted"></span></div>
        <div id="grid" class="grid"></div>
        <div class="pager" id="pager" hidden>
          <button type="button" class="button secondary" id="prev">&larr; Previous</button>
          <span id="page-label" class="muted"></span>
          <button type="button" class="button secondary" id="next">Next &rarr;</button>
        </div>
      </section>

      <section id="view-results" class="view" hidden>
        <div class="query" id="query"></div>
        <div id="results" class="grid"></div>
      </section>

      <section id="view-duplicates" class="view" hidden>
        <div class="view-head"><h2>Duplicates</h2><span id="dupes-summary" class="muted"></span></div>
        <div id="dupes"></div>
      </section>

      <section id="view-info" class="view" hidden>
        <div class="view-head"><h2>Index</h2></div>
        <div id="info"></div>
      </section>

      <div id="loading" class="loading" hidden><span class="spinner"></span><span id="loading-text">Loading…</span></div>
    </main>
    <div id="drop"><div>Drop a photo to find similar ones</div></div>

    <script>
    'use strict';

    const PAGE_SIZE = 60;      // tiles per collection page
    const SIMILAR_K = 24;      // results per similar / upload search
    const THUMB_SIZE = 256;    // thumbnails are asked for at this size (the tiles are smaller; sharp on 2x screens)

    const $ = (id) => document.getElementById(id);

    // The last upload's results: an upload cannot live in the URL, so `#search`
    // shows them again (back button) for as long as the page is open.
    let lastUpload = null;

    // Every view change bumps this; an answer that arrives for an older view is
    // dropped, so a slow request never paints over the view the user went to.
    let generation = 0;

    // ---- The API -------------------------------------------------------------

    class ApiError extends Error {
      constructor(status, message, requestId, retryAfter) {
        super(message);
        this.status = status; this.requestId = requestId; this.retryAfter = retryAfter;
      }
    }

    // fetch JSON from the API; an error answer (`{"error": {...}}`) or a network
    // failure becomes an ApiError. `same-origin` sends the token cookie.
    async function api(path, options = {}) {
      let response;
      try {
        response = await fetch(path, Object.assign({ credentials: 'same-origin', headers: { Accept: 'application/json' } }, options));
      } catch (e) {
        throw new ApiError(0, 'The server cannot be reached (' + e.message + '). Is imgsearch serve still running?');
      }
      let body = null;
      try { body = await response.json(); } catch (e) { /* not JSON: handled below */ }
      if (!response.ok) {
        const error = body && body.error ? body.error : {};
        let message = error.message || (response.status + ' ' + response.statusText);
        if (response.status === 401 && !/token/i.test(message)) message += ' (open this page once as /?token=TOKEN to store the access token)';
        throw new ApiError(error.status || response.status, message, error.requestId || response.headers.get('X-Request-Id'),
                           response.headers.get('Retry-After'));
      }
      if (body === null) throw new ApiError(response.status, 'The server answered something that is not JSON.');
      return body;
    }

    function showError(error) {
      const box = $('error');
      box.replaceChildren();
      const title = document.createElement('strong');
      title.textContent = error.status ? 'Error ' + error.status + ':' : 'Error:';
      box.append(title, document.createTextNode(' ' + error.message));
      if (error.retryAfter) box.append(document.createTextNode(' (try again in ' + error.retryAfter + ' s)'));
      if (error.requestId) {
        const id = document.createElement('span');
        id.className = 'request-id';
        id.textContent = 'request ' + error.requestId;
        box.append(id);
      }
      box.classList.add('shown');
    }

    function clearError() {
      $('error').classList.remove('shown');
      $('error').replaceChildren();
    }

    function setLoading(text) {
      $('loading').hidden = !text;
      if (text) $('loading-text').textContent = text;
    }

    // ---- Building blocks -----------------------------------------------------

    // el('a', {href: '#x', className: 'tile'}, child, 'text'): attributes are set
    // as properties and strings become text nodes, so data is never parsed as HTML.
    function el(tag, props, ...children) {
      const node = document.createElement(tag);
      for (const [key, value] of Object.entries(props || {})) {
        if (key === 'dataset') Object.assign(node.dataset, value);
        else if (key.includes('-')) node.setAttribute(key, value);
        else node[key] = value;
      }
      for (const child of children) {
        if (child === null || child === undefined) continue;
        node.append(typeof child === 'string' ? document.createTextNode(child) : child);
      }
      return node;
    }

    function fileName(path) {
      const parts = String(path).split(/[\\/]/);
      return parts[parts.length - 1] || String(path);
    }

    function thumb(id, alt) {
      const img = el('img', { src: '/api/images/' + id + '/thumbnail?size=' + THUMB_SIZE, alt: alt || '', loading: 'lazy', decoding: 'async' });
      const box = el('div', { className: 'thumb' }, img);
      // A file that no longer decodes answers 400: show a placeholder, not a broken-image icon.
      img.addEventListener('error', () => box.classList.add('broken'));
      return box;
    }

    // A tile for one image: its thumbnail and name; a click shows its nearest images.
    function tile(id, path, className, ...badges) {
      const known = id !== null && id !== undefined;
      return el(known ? 'a' : 'div', known ? { className: className, href: '#similar=' + id, title: path, dataset: { id: String(id) } }
                                            : { className: className, title: path },
        known ? thumb(id, fileName(path)) : el('div', { className: 'thumb broken' }),
        el('div', { className: 'caption' },
          el('span', { className: 'name' }, fileName(path)),
          badges.length ? el('div', { className: 'metrics' }, ...badges) : null));
    }

    function badge(text, title, extra) {
      return el('span', { className: 'badge' + (extra ? ' ' + extra : ''), title: title || '' }, text);
    }

    function number(value, digits) {
      return typeof value === 'number' ? value.toLocaleString(undefined, { maximumFractionDigits: digits }) : '—';
    }

    function bytes(count) {
      if (typeof count !== 'number') return '—';
      const units = ['B', 'kB', 'MB', 'GB', 'TB'];
      let value = count, unit = 0;
      while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit++; }
      return value.toLocaleString(undefined, { maximumFractionDigits: unit ? 1 : 0 }) + ' ' + units[unit];
    }

    function when(iso) {
      if (!iso) return '—';
      const date = new Date(iso);
      return isNaN(date) ? String(iso) : date.toLocaleString();
    }

    // ---- Views -----------------------------------------------------------------

    function showView(name) {
      for (const section of document.querySelectorAll('.view')) section.hidden = section.id !== 'view-' + name;
      const navView = name === 'results' ? null : name;
      for (const link of document.querySelectorAll('#nav a')) link.classList.toggle('active', link.dataset.view === navView);
    }

    async function showGrid(page, current) {
      showView('grid');
      document.title = 'imgsearch — page ' + page;
      setLoading('Loading the collection…');
      const answer = await api('/api/images?offset=' + (page - 1) * PAGE_SIZE + '&limit=' + PAGE_SIZE);
      if (current !== generation) return;
      const pages = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
      // Past the end (an old shared address, a shrunk index): the last page instead.
      if (answer.images.length === 0 && page > pages) { location.replace('#page=' + pages); return; }
      $('grid').replaceChildren(...answer.images.map((image) => tile(image.id, image.path, 'tile')));
      $('grid-summary').textContent = answer.total.toLocaleString() + (answer.total === 1 ? ' image' : ' images');
      if (answer.images.length === 0) {
        $('grid').append(el('p', { className: 'empty' }, answer.total === 0
          ? 'The index is empty: index a folder with `imgsearch index DIR`, or serve with --watch DIR.'
          : 'No images on this page.'));
      }
      $('pager').hidden = pages <= 1;
      $('page-label').textContent = 'Page ' + page + ' of ' + pages;
      $('prev').disabled = page <= 1;
      $('next').disabled = page >= pages;
      $('prev').onclick = () => { location.hash = 'page=' + (page - 1); };
      $('next').onclick = () => { location.hash = 'page=' + (page + 1); };
    }

    // The results of a search, by id or by upload: the same cards either way.
    function renderResults(answer, queryId) {
      $('results').replaceChildren(...answer.results.map((result) => {
        const badges = [
          badge('#' + result.rank, 'rank', 'rank'),
          badge('H ' + result.hamming, 'Hamming distance between the hashes', 'hamming'),
          badge('d ' + number(result.distance, 2), 'Euclidean distance between the real-valued codes', 'distance'),
        ];
        if (result.variant && result.variant !== 'image') badges.push(badge(result.variant, 'found by this copy of the query'));
        const card = tile(result.id, result.path, 'tile result' + (result.id === queryId ? ' self' : ''), ...badges);
        card.dataset.rank = String(result.rank);
        card.dataset.hamming = String(result.hamming);
        card.dataset.distance = String(result.distance);
        return card;
      }));
      if (answer.results.length === 0) $('results').append(el('p', { className: 'empty' }, 'No results.'));
    }

    function renderQuery(picture, title, path, answer, details) {
      const text = el('div', { className: 'query-text' },
        el('h2', {}, title),
        el('div', { className: 'small muted', title: path }, path),
        el('div', { className: 'small muted' }, (details ? details + ' · ' : '')
          + answer.results.length + ' nearest in ' + number(answer.searchMilliseconds, 2) + ' ms'));
      $('query').replaceChildren(...(picture ? [picture, text] : [text]));
    }

    async function showSimilar(id, current) {
      showView('results');
      document.title = 'imgsearch — similar to ' + id;
      $('query').replaceChildren();
      $('results').replaceChildren();
      setLoading('Searching…');
      const [answer, image] = await Promise.all([api('/api/images/' + id + '/similar?k=' + SIMILAR_K), api('/api/images/' + id)]);
      if (current !== generation) return;
      // The query picture opens larger (the biggest thumbnail the API makes) in a new tab.
      const picture = el('a', { href: '/api/images/' + id + '/thumbnail?size=1024', target: '_blank', rel: 'noopener',
                                className: 'thumb-link', title: 'Open larger' }, thumb(id, fileName(answer.query)));
      const details = [image.width && image.height ? image.width + ' × ' + image.height : null, image.format, bytes(image.bytes)]
        .filter(Boolean).join(' · ');
      renderQuery(picture, 'Similar to ' + fileName(answer.query), answer.query, answer, details);
      renderResults(answer, answer.queryId);
    }

    function showUpload() {
      showView('results');
      document.title = 'imgsearch — search by photo';
      if (!lastUpload) {
        $('query').replaceChildren(el('div', { className: 'query-text' }, el('h2', {}, 'Search by photo'),
          el('div', { className: 'muted' }, 'Drop a photo anywhere on this page, paste one, or choose one with “Search by photo”.')));
        $('results').replaceChildren();
        return;
      }
      const picture = el('div', { className: 'thumb' }, el('img', { src: lastUpload.previewURL, alt: lastUpload.name }));
      renderQuery(picture, 'Similar to ' + lastUpload.name, lastUpload.name + ' (' + bytes(lastUpload.size) + ', uploaded)', lastUpload.answer);
      renderResults(lastUpload.answer, null);
    }

    // Uploads the file's own bytes (no form encoding), then shows `#search`.
    async function searchByFile(file) {
      if (!file) return;
      const current = ++generation;
      clearError();
      showView('results');
      $('query').replaceChildren();
      $('results').replaceChildren();
      setLoading('Searching by ' + file.name + '…');
      try {
        const answer = await api('/api/search?k=' + SIMILAR_K, {
          method: 'POST', body: file,
          headers: { 'Content-Type': file.type || 'application/octet-stream', Accept: 'application/json' },
        });
        if (lastUpload) URL.revokeObjectURL(lastUpload.previewURL);
        lastUpload = { name: file.name || '(pasted image)', size: file.size, previewURL: URL.createObjectURL(file), answer: answer };
        if (current !== generation) return;
        setLoading(null);
        if (location.hash === '#search') route(); else location.hash = 'search';
      } catch (error) {
        if (current !== generation) return;
        setLoading(null);
        showError(error);
      } finally {
        $('file-input').value = '';   // choosing the same file again searches again
      }
    }

    async function showDuplicates(current) {
      showView('duplicates');
      document.title = 'imgsearch — duplicates';
      $('dupes').replaceChildren();
      $('dupes-summary').textContent = '';
      // The first call decodes the candidates' files: seconds on a large index.
      setLoading('Finding near-duplicates… the first time this decodes the candidates and can take a while.');
      const answer = await api('/api/duplicates');
      if (current !== generation) return;
      const images = answer.groups.reduce((sum, group) => sum + group.ids.length, 0);
      $('dupes-summary').textContent = answer.groups.length + (answer.groups.length === 1 ? ' group, ' : ' groups, ')
        + images + ' images, within Hamming radius ' + answer.radius;
      if (answer.groups.length === 0) {
        $('dupes').append(el('p', { className: 'empty' }, 'No near-duplicates found.'));
        return;
      }
      $('dupes').replaceChildren(...answer.groups.map((group, index) => el('div', { className: 'group' },
        el('div', { className: 'group-head' },
          el('strong', {}, 'Group ' + (index + 1)),
          badge(group.ids.length + ' images'),
          badge('H ' + group.hamming, 'largest Hamming distance in the group'),
          badge('d ' + number(group.distance, 2), 'largest distance between the real-valued codes'),
          badge('thumbnail Δ ' + number(group.thumbnailDifference, 3), 'difference between the thumbnails')),
        el('div', { className: 'grid' }, ...group.ids.map((id, i) => tile(id, group.paths[i] || String(id), 'tile'))))));
    }

    function definitions(pairs) {
      const list = el('dl', {});
      for (const [term, value, field] of pairs) {
        list.append(el('dt', {}, term), el('dd', field ? { dataset: { field: field } } : {}, value));
      }
      return list;
    }

    async function showInfo(current) {
      showView('info');
      document.title = 'imgsearch — info';
      $('info').replaceChildren();
      setLoading('Loading the index info…');
      const [info, status] = await Promise.all([api('/api/info'), api('/api/status')]);
      if (current !== generation) return;
      const formats = Object.entries(info.formats || {}).sort((a, b) => b[1] - a[1])
        .map(([format, count]) => format + ' ' + count.toLocaleString()).join(', ') || '—';
      const run = info.lastIndexRun;
      const cards = [
        el('div', { className: 'card' }, el('h3', {}, 'Collection'), definitions([
          ['images', info.images.toLocaleString(), 'images'],
          ['formats', formats, 'formats'],
          ['database', info.database, 'database'],
          ['size', bytes(info.databaseBytes), 'databaseBytes'],
        ])),
        el('div', { className: 'card' }, el('h3', {}, 'Model'), definitions([
          ['model', info.modelName || 'none', 'modelName'],
          ['layers', (info.modelLayers || []).join('-') || '—', 'modelLayers'],
          ['bits', String(info.bits), 'bits'],
          ['trained', info.modelCreatedAt ? when(info.modelCreatedAt) : '—', 'modelCreatedAt'],
          ['training', info.modelTrainedOn || '—', 'modelTrainedOn'],
          ['buckets', (info.occupiedBuckets ?? 0).toLocaleString() + ' distinct hashes, largest holds ' + (info.largestBucket ?? 0), 'buckets'],
        ])),
        el('div', { className: 'card' }, el('h3', {}, 'Last index run'), run ? definitions([
          ['finished', when(run.finishedAt), 'lastRunFinished'],
          ['folders', (run.folders || []).join(', ') || '—', 'lastRunFolders'],
          ['files', ['added', 'updated', 'unchanged', 'moved', 'removed', 'failed']
            .map((key) => key + ' ' + (run.summary[key] ?? 0)).join(', '), 'lastRunSummary'],
          ['took', number(run.summary.seconds, 1) + ' s'],
        ]) : el('p', { className: 'muted' }, 'None recorded.')),
        el('div', { className: 'card' }, el('h3', {}, 'Server'), definitions([
          ['watching', (status.watching || []).join(', ') || 'no folders', 'watching'],
          ['indexing', indexingText(status.indexing) || 'idle', 'indexing'],
          ['index runs', String(status.indexRuns ?? 0), 'indexRuns'],
          ['last run', status.lastRun ? when(status.lastRun.finishedAt) : '—', 'lastRun'],
          ['last error', status.lastError ? String(status.lastError) : 'none', 'lastError'],
          ['last failures', (status.lastFailures || []).length ? status.lastFailures.join('\n') : 'none', 'lastFailures'],
        ])),
      ];
      $('info').replaceChildren(...cards);
    }

    function indexingText(indexing) {
      if (!indexing) return '';
      let text = indexing.phase || 'indexing';
      if (typeof indexing.total === 'number' && indexing.total > 0) {
        text += ' ' + (indexing.completed ?? 0).toLocaleString() + ' / ' + indexing.total.toLocaleString() + ' ' + (indexing.unit || '');
      }
      return text.trim();
    }

    // ---- Routing: the fragment names the view ------------------------------

    async function route() {
      const current = ++generation;
      clearError();
      setLoading(null);
      const hash = location.hash.replace(/^#/, '');
      const [key, value] = hash.split('=');
      try {
        if (key === 'similar' && /^\d+$/.test(value || '')) await showSimilar(Number(value), current);
        else if (key === 'duplicates') await showDuplicates(current);
        else if (key === 'info') await showInfo(current);
        else if (key === 'search') showUpload();
        else {
          const page = Math.max(1, parseInt(value, 10) || 1);
          if (key !== 'page' || String(page) !== value) { history.replaceState(null, '', '#page=' + page); }
          await showGrid(page, current);
        }
        if (current === generation) setLoading(null);
      } catch (error) {
        if (current !== generation) return;
        setLoading(null);
        showError(error);
        // 503: the index is being switched or has no model yet; it says when to ask again.
        if (error.status === 503 && error.retryAfter) {
          const seconds = Math.min(60, Math.max(1, parseInt(error.retryAfter, 10) || 5));
          setTimeout(() => { if (current === generation) route(); }, seconds * 1000);
        }
      }
    }

    window.addEventListener('hashchange', () => { route(); window.scrollTo(0, 0); });

    // Left and right arrows turn the collection's pages.
    document.addEventListener('keydown', (event) => {
      if ($('view-grid').hidden || event.target.closest('input, textarea') || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === 'ArrowLeft' && !$('prev').disabled) $('prev').click();
      if (event.key === 'ArrowRight' && !$('next').disabled) $('next').click();
    });

    // ---- Search by photo: file input, drop anywhere, paste ------------------

    $('file-input').addEventListener('change', (event) => searchByFile(event.target.files[0]));

    // dragenter/dragleave fire for every child crossed: count them so the
    // overlay only goes away when the drag leaves the window.
    let dragDepth = 0;
    const carriesFiles = (event) => event.dataTransfer && Array.from(event.dataTransfer.types).includes('Files');
    window.addEventListener('dragenter', (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      dragDepth++;
      $('drop').classList.add('shown');
    });
    window.addEventListener('dragover', (event) => { if (carriesFiles(event)) event.preventDefault(); });
    window.addEventListener('dragleave', () => {
      dragDepth = Math.max(0, dragDepth - 1);
      if (dragDepth === 0) $('drop').classList.remove('shown');
    });
    window.addEventListener('drop', (event) => {
      event.preventDefault();   // or the browser navigates away to the dropped file
      dragDepth = 0;
      $('drop').classList.remove('shown');
      if (event.dataTransfer && event.dataTransfer.files.length) searchByFile(event.dataTransfer.files[0]);
    });
    document.addEventListener('paste', (event) => {
      const file = Array.from(event.clipboardData ? event.clipboardData.files : []).find((f) => f.type.startsWith('image/'));
      if (file) { event.preventDefault(); searchByFile(file); }
    });

    // ---- The indexing indicator in the header ---------------------------------

    // A glance at /api/status every few seconds while the tab is visible, so a
    // watcher's index run shows; its failure is not the user's error to see here.
    async function pollStatus() {
      if (document.visibilityState === 'visible') {
        try {
          const status = await api('/api/status');
          const text = indexingText(status.indexing);
          $('indexing').hidden = !text;
          $('indexing').textContent = text ? '⟳ ' + text : '';
        } catch (error) { $('indexing').hidden = true; }
      }
      setTimeout(pollStatus, 5000);
    }

    // Opened as /?token=T: the server has stored the token in a cookie; take it
    // out of the address bar so that a copied, shared address does not carry it.
    if (new URLSearchParams(location.search).has('token')) {
      history.replaceState(null, '', location.pathname + location.hash);
    }

    route();
    pollStatus();
    </script>
    </body>
    </html>
    """#
}
