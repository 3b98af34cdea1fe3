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

// The event form's date check: as the dates, place and key areas are filled in, ask
// /api/v1/events/clashes and show what it finds (without JavaScript the "check the date" button
// posts the form and the page comes back with the same list).
(function () {
  'use strict';
  var box = document.getElementById('date-check');
  if (!box || !window.fetch || !window.URLSearchParams) return;
  var form = box.closest('form'), out = document.getElementById('date-check-result');
  if (!form || !out) return;
  var d = box.dataset, timer = null, seq = 0;
  var lang = document.documentElement.lang || 'sv';
  var locale = lang === 'nb' ? 'nb-NO' : lang === 'en' ? 'en-GB' : 'sv-SE';

  function val(name) { var f = form.elements[name]; return f && f.value ? f.value : ''; }
  function checked(name) {
    return Array.from(form.querySelectorAll('input[name="' + name + '"]:checked')).map(function (i) { return i.value; });
  }
  function labelOf(name, value) {
    var i = form.querySelector('input[name="' + name + '"][value="' + value + '"]');
    var l = i && (i.closest('label') || form.querySelector('label[for="' + i.id + '"]'));
    return l ? l.textContent.trim() : value;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function when(s) {
    var t = new Date(s.length === 10 ? s + 'T00:00' : s);
    if (isNaN(t)) return s;
    return t.toLocaleString(locale, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  }
  function show(list) {
    out.textContent = '';
    if (!list.length) { out.appendChild(el('p', 'ok', d.lNone)); return; }
    var ul = el('ul', 'plain date-check-list'), clash = false;
    list.forEach(function (w) {
      var country = w.country === 'NO' ? d.lNo : d.lSe, li;
      if (w.kind === 'holiday') {
        li = el('li', 'warn holiday', d.lHoliday + ' ');
        var n = el('span', '', w.name);
        n.lang = w.country === 'NO' ? 'nb' : 'sv';
        li.appendChild(n);
        li.appendChild(document.createTextNode(' (' + country + ', ' + w.date + ')'));
      } else {
        clash = true;
        li = el('li', 'warn clash', d.lClash + ' ');
        var a = el('a', '', w.title);
        a.href = '/events/' + w.event;
        li.appendChild(a);
        var why = (w.reasons || []).map(function (x) {
          return x.type === 'theme' ? labelOf('themes', x.value) : x.type === 'audience' ? labelOf('audiences', x.value)
            : x.type === 'region' ? d.lCounty : d.lRegion;
        }).join(', ');
        li.appendChild(document.createTextNode(' (' + when(w.start) + ', ' + country + '). ' + d.lShared + ' ' + why + '.'));
      }
      ul.appendChild(li);
    });
    out.appendChild(ul);
    if (clash) {
      out.appendChild(el('p', 'safe-choice', d.lSafe));
      var p = el('p', 'actions'), b = el('button', '', d.lIdea);
      b.type = 'submit'; b.name = 'as_idea'; b.value = '1';
      p.appendChild(b);
      out.appendChild(p);
    }
  }
  function check() {
    var start = val('start');
    if (!start) return;
    var q = new URLSearchParams({ start: start, timezone: val('timezone') || 'Europe/Stockholm' });
    var end = val('end');
    if (end && end > start) q.set('end', end);
    if (val('country')) q.set('country', val('country'));
    var m = form.elements.municipality, opt = m && m.selectedOptions && m.selectedOptions[0];
    if (opt && opt.value) q.set('municipality', (opt.dataset.country || val('country') || 'SE') + '-' + opt.value);
    if (checked('themes').length) q.set('themes', checked('themes').join(','));
    if (checked('audiences').length) q.set('audiences', checked('audiences').join(','));
    if (d.exclude && d.exclude !== '0') q.set('exclude', d.exclude);
    var mine = ++seq;
    out.setAttribute('aria-busy', 'true');
    fetch('/api/v1/events/clashes?' + q.toString(), { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) { if (mine === seq && j) show(j.warnings || []); })
      .catch(function () { /* the button still works */ })
      .finally(function () { if (mine === seq) out.removeAttribute('aria-busy'); });
  }
  var watched = ['start', 'end', 'timezone', 'country', 'municipality', 'themes', 'audiences'];
  form.addEventListener('change', function (e) {
    if (!e.target || watched.indexOf(e.target.name) < 0) return;
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
  if (val('start')) check();
})();
