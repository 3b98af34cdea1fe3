// Gränslös: small progressive enhancements. Every page works without this file.
// - Directory: results update as you type or pick a filter (the form still submits without JS).
(function () {
  'use strict';
  // filters: folded on phones, open where there is room beside the results
  var details = document.querySelector('details.facets');
  if (details && window.matchMedia && window.matchMedia('(min-width: 48rem)').matches) details.open = true;
})();

(function () {
  'use strict';
  var input = document.querySelector('input[data-live]');
  if (!input || !window.fetch || !window.DOMParser) return;
  var form = input.form;
  var target = document.getElementById(input.getAttribute('data-live'));
  if (!form || !target) return;
  var timer = null, seq = 0;

  function update() {
    var params = new URLSearchParams(new FormData(form));
    // drop empty values so addresses stay short
    Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) params.delete(k); });
    var url = form.getAttribute('action') + (params.toString() ? '?' + params.toString() : '');
    var mine = ++seq;
    target.setAttribute('aria-busy', 'true');
    fetch(url, { headers: { 'Accept': 'text/html' }, credentials: 'same-origin' })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (mine !== seq) return; // a newer request is on its way
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById(target.id);
        var facets = doc.querySelector('form.filters');
        if (fresh) target.innerHTML = fresh.innerHTML;
        // keep the facet counts in step, but never replace the field being typed in
        if (facets) {
          // remember the focused control by name and value, so keyboard users stay where they were
          var active = document.activeElement, key = null;
          if (active && active.form === form && active.type === 'radio') key = [active.name, active.value];
          var holder = form.querySelector('details.facets') || form;
          Array.from(form.querySelectorAll('fieldset.facet')).forEach(function (fs) { fs.remove(); });
          Array.from(facets.querySelectorAll('fieldset.facet')).forEach(function (fs) {
            holder.appendChild(document.importNode(fs, true));
          });
          if (key) {
            var again = Array.from(form.querySelectorAll('input[type=radio]')).filter(function (i) {
              return i.name === key[0] && i.value === key[1];
            })[0];
            if (again) again.focus();
          }
        }
        history.replaceState(null, '', url);
      })
      .catch(function () { /* the normal submit still works */ })
      .finally(function () { if (mine === seq) target.removeAttribute('aria-busy'); });
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  });
  form.addEventListener('change', function (e) {
    if (e.target && e.target.type === 'radio') update();
  });
})();

// The bell: the unread count in the page chrome, polled from a tiny JSON endpoint every 30 s
// while the page is visible (notify/; without this file the count is as of the page's load).
(function () {
  'use strict';
  var bell = document.querySelector('a.bell');
  if (!bell || !window.fetch) return;
  var count = bell.querySelector('.count');
  function poll() {
    if (document.hidden) return;
    fetch('/api/v1/notifications/unread', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (!j || typeof j.unread !== 'number') return;
        bell.setAttribute('data-unread', String(j.unread));
        if (count) count.textContent = String(j.unread);
      })
      .catch(function () { /* the count stays as it was */ });
  }
  setInterval(poll, 30000);
  document.addEventListener('visibilitychange', poll);
})();
