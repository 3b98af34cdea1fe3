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
          if (active && active.form === form && (active.type === 'radio' || active.type === 'checkbox')) key = [active.name, active.value];
          var holder = form.querySelector('details.facets') || form;
          Array.from(form.querySelectorAll('fieldset.facet')).forEach(function (fs) { fs.remove(); });
          Array.from(facets.querySelectorAll('fieldset.facet')).forEach(function (fs) {
            holder.appendChild(document.importNode(fs, true));
          });
          if (key) {
            var again = Array.from(form.querySelectorAll('input[type=radio], input[type=checkbox]')).filter(function (i) {
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
    // a facet's choices (checkboxes: several at once) update the results as they are ticked
    if (e.target && (e.target.type === 'radio' || e.target.type === 'checkbox')) update();
  });
})();

// The type-ahead (issue 12; html.c field_pick): an input in div.pick[data-lookup] becomes an ARIA
// 1.2 combobox with a listbox of matches from the JSON look-up. Picking one fills in the name
// and the hidden <name>_id; typing again clears the id. Without this, the server's pick step
// lists the matches as radio buttons.
(function () {
  'use strict';
  if (!window.fetch) return;
  var n = 0;
  Array.prototype.forEach.call(document.querySelectorAll('div.pick[data-lookup] > input[type=text]'), function (input) {
    var box = input.parentNode, id = 'pick-' + (++n), items = [], active = -1, timer = null, seq = 0;
    var multiple = box.hasAttribute('data-multiple'); // names separated with commas: a pick replaces the last one
    var hidden = multiple ? document.createElement('input') : box.querySelector('input[type=hidden]');
    if (!hidden && !multiple) {
      hidden = document.createElement('input');
      hidden.type = 'hidden';
      hidden.name = input.name + '_id';
      box.appendChild(hidden);
    }
    var list = document.createElement('ul');
    list.id = id + '-list';
    list.setAttribute('role', 'listbox');
    var label = document.querySelector('label[for="' + input.id + '"]');
    if (label) { label.id = label.id || id + '-label'; list.setAttribute('aria-labelledby', label.id); }
    list.hidden = true;
    var status = document.createElement('span');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    box.appendChild(list);
    box.appendChild(status);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);

    function show(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, k) { li.setAttribute('aria-selected', k === i ? 'true' : 'false'); });
      if (i >= 0) { input.setAttribute('aria-activedescendant', id + '-' + i); list.children[i].scrollIntoView({ block: 'nearest' }); }
      else input.removeAttribute('aria-activedescendant');
    }
    function close() {
      // what is still coming (a lookup waiting for its pause, an answer on its way) would open
      // the list again after Escape, a pick or leaving the field
      clearTimeout(timer);
      seq++;
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      show(-1);
    }
    function pick(i) {
      var it = items[i];
      if (!it) return;
      if (multiple) {
        var parts = input.value.split(',');
        parts[parts.length - 1] = (parts.length > 1 ? ' ' : '') + (it.value || it.name);
        input.value = parts.join(',') + ', ';
      } else {
        input.value = it.name;
        hidden.value = String(it.id);
      }
      var choices = box.parentNode.querySelector('fieldset.choices');
      if (choices) choices.remove();
      close();
      status.textContent = it.name + ', ' + it.label;
    }
    function render(found) {
      items = found;
      list.textContent = '';
      found.forEach(function (it, k) {
        var li = document.createElement('li');
        li.id = id + '-' + k;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.textContent = it.name;
        var small = document.createElement('span');
        small.className = 'small';
        small.textContent = ' ' + it.label;
        li.appendChild(small);
        li.addEventListener('mousedown', function (e) { e.preventDefault(); }); // keep the focus in the input
        li.addEventListener('click', function () { pick(k); });
        list.appendChild(li);
      });
      list.hidden = !found.length;
      input.setAttribute('aria-expanded', found.length ? 'true' : 'false');
      show(-1);
      status.textContent = String(found.length);
    }
    function lookup() {
      var q = (multiple ? input.value.split(',').pop() : input.value).trim(), mine = ++seq;
      if (!q) { render([]); return; }
      fetch(box.getAttribute('data-lookup') + '?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (j) { if (mine === seq) render(j.items || []); })
        .catch(function () { /* the server's pick step still works */ });
    }
    input.addEventListener('input', function () {
      hidden.value = '';
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
    input.addEventListener('keydown', function (e) {
      var open = !list.hidden && items.length;
      if (e.key === 'ArrowDown') { e.preventDefault(); if (!open) lookup(); else show(Math.min(active + 1, items.length - 1)); }
      else if (e.key === 'ArrowUp') { if (open) { e.preventDefault(); show(Math.max(active - 1, 0)); } }
      else if (e.key === 'Enter') { if (open && active >= 0) { e.preventDefault(); pick(active); } }
      else if (e.key === 'Escape') { if (open) e.preventDefault(); close(); } // also what is still coming
    });
    input.addEventListener('blur', function () { setTimeout(close, 100); });
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
        // a title in another language than the page: its lang and a note (as the page writes it)
        var inLang = { sv: d.lInSv, nb: d.lInNb, en: d.lInEn }[w.title_lang];
        if (w.title_lang && w.title_lang !== lang && inLang) {
          a.lang = w.title_lang;
          li.appendChild(document.createTextNode(' '));
          var note = el('span', 'lang-note', '(' + inLang + ')');
          note.lang = lang;
          li.appendChild(note);
        }
        var why = (w.reasons || []).map(function (x) {
          return x.type === 'theme' ? labelOf('themes', x.value) : x.type === 'audience' ? labelOf('audiences', x.value)
            : x.type === 'region' ? d.lCounty : d.lRegion;
        }).join(', ');
        li.appendChild(document.createTextNode(' (' + when(w.start) + ', ' + country + '). ' + d.lShared + ' ' + why + '.'));
        // their organisers' Contact forms, to talk before publishing (the page's organisers left out)
        var mine = checked('organisers'), who = (w.organisers || []).filter(function (o) { return mine.indexOf(String(o.id)) < 0; });
        if (who.length) {
          var cu = el('ul', 'plain contacts-of');
          who.forEach(function (o) {
            var ci = el('li', '', o.name + ': '), ca = el('a', '', d.lTouch);
            ca.href = o.contact + '?subject=' + encodeURIComponent((d.lSubject || '%s').replace('%s', w.title));
            ca.setAttribute('aria-label', d.lTouch + ': ' + o.name);
            ci.appendChild(ca);
            cu.appendChild(ci);
          });
          li.appendChild(cu);
        }
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

// The event form: the time zone follows the chosen country (Swedish time for Sweden, Norwegian
// for Norway) until someone chooses it by hand.
(function () {
  'use strict';
  var tz = document.querySelector('form select[name="timezone"]');
  var country = tz && tz.form.querySelector('select[name="country"]');
  if (!tz || !country) return;
  var byHand = false;
  tz.addEventListener('change', function (e) { if (e.isTrusted) byHand = true; });
  country.addEventListener('change', function () {
    if (byHand) return;
    var want = country.value === 'NO' ? 'Europe/Oslo' : country.value === 'SE' ? 'Europe/Stockholm' : '';
    if (want && tz.value !== want) {
      tz.value = want;
      tz.dispatchEvent(new Event('change', { bubbles: true })); // the date check listens
    }
  });
})();
