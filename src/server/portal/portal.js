// SPDX-License-Identifier: GPL-3.0-or-later
// The client portal: plain JavaScript, no framework, no build step.
// Everything the server sends is data: it reaches the page through
// textContent and attributes set one by one, never as HTML.
'use strict';

(function () {
  const S = window.TEND_STRINGS;
  let lang = 'en';
  let csrf = null;
  let me = null;
  let pollTimer = null;
  let openConversation = null;
  // The live stream (see "Live messages" below).
  let events = null;
  let liveUp = false;
  let liveRetry = null;
  let liveDelay = 5000;
  // Focus moves to a page's heading when the person moves to it, not when
  // the portal first opens (the skip link stays the first stop).
  let moved = false;

  const $ = (id) => document.getElementById(id);

  function t (key, args) {
    let text = (S[lang] && S[lang][key]) || S.en[key] || key;
    if (args) {
      for (const name of Object.keys(args))
        text = text.split('{' + name + '}').join(String(args[name]));
    }
    return text;
  }

  function el (tag, props, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false)
        continue;
      if (name === 'text')
        node.textContent = value;
      else if (name === 'className')
        node.className = value;
      else if (name === 'onclick' || name === 'onsubmit' || name === 'onchange')
        node.addEventListener(name.slice(2), value);
      else
        node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children || [])
      if (child)
        node.appendChild(child);
    return node;
  }

  function clear (node) {
    while (node.firstChild)
      node.removeChild(node.firstChild);
  }

  function say (text) {
    const status = $('status');
    status.textContent = '';
    // A fresh text so screen readers announce it again.
    window.setTimeout(() => { status.textContent = text; }, 30);
  }

  function chooseLanguage () {
    let stored = null;
    try { stored = window.localStorage.getItem('tend-portal-lang'); } catch (e) { stored = null; }
    if (stored === 'en' || stored === 'es')
      return stored;
    // The server's reading of the browser's Accept-Language (i18n.js).
    if (window.TEND_LANG === 'en' || window.TEND_LANG === 'es')
      return window.TEND_LANG;
    for (const l of navigator.languages || [navigator.language || 'en'])
      if (/^es\b/i.test(l))
        return 'es';
      else if (/^en\b/i.test(l))
        return 'en';
    return 'en';
  }

  function applyLanguage () {
    document.documentElement.lang = lang;
    document.title = t('title');
    $('lang').value = lang;
    for (const node of document.querySelectorAll('[data-i18n]'))
      node.textContent = t(node.getAttribute('data-i18n'));
    $('nav').setAttribute('aria-label', t('title'));
    showNotice();
    showActingFor();
  }

  // A guardian's session acts for the client (a minor): every page says
  // for whom, and who is signed in.
  function showActingFor () {
    const guardian = me && me.guardian_of ? me.guardian : null;
    $('acting-for').hidden = !guardian;
    if (!guardian)
      return;
    const client = me.client ? (me.client.preferred_name || me.client.legal_given || '') : '';
    const relationship = t(guardian.relationship === 'parent' ? 'acting.parent' : 'acting.legal_guardian');
    $('acting-client').textContent = t('acting.for', { client });
    $('acting-guardian').textContent = t('acting.as', { guardian: guardian.name || me.email, relationship });
  }

  // The practice's own notice beside messages, as its staff wrote it;
  // without one, the built-in "not for emergencies" in the page's language.
  function showNotice () {
    const own = me && me.practice && me.practice.client_notice;
    $('messages-notice').textContent = own || t('messages.emergency');
  }

  class ApiError extends Error {
    constructor (status, code) {
      super(code || String(status));
      this.status = status;
      this.code = code;
    }
  }

  async function api (method, path, body) {
    const headers = { 'Accept': 'application/json' };
    const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      if (csrf)
        headers['X-CSRF-Token'] = csrf;
      init.body = JSON.stringify(body || {});
    }
    let response;
    try {
      response = await fetch('/v1/portal/' + path, init);
    } catch (e) {
      throw new ApiError(0, 'network');
    }
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok)
      throw new ApiError(response.status, data && data.error ? data.error.code : null);
    return data;
  }

  function failed (error) {
    if (error.status === 401) {
      signedOut();
      say(t('error.session'));
    } else if (error.status === 0) {
      say(t('error.network'));
    } else if (error.status === 409) {
      say(t('error.conflict'));
      route();
    } else {
      say(t('error.generic'));
    }
  }

  // Dates and times in the appointment's (the client's) time zone.
  function formatWhen (start, end, zone) {
    const options = { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric',
                      hour: 'numeric', minute: '2-digit', timeZone: zone || undefined, timeZoneName: 'short' };
    let text;
    try {
      text = new Intl.DateTimeFormat(lang, options).format(new Date(start));
    } catch (e) {
      delete options.timeZone;
      text = new Intl.DateTimeFormat(lang, options).format(new Date(start));
    }
    return text;
  }

  function formatMoney (minor, currency) {
    try {
      return new Intl.NumberFormat(lang, { style: 'currency', currency: currency || 'USD' }).format(minor / 100);
    } catch (e) {
      return (minor / 100).toFixed(2) + ' ' + (currency || '');
    }
  }

  function formatTime (iso) {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  }

  // Pages

  const pages = ['signin', 'appointments', 'messages', 'forms', 'documents', 'account'];

  function show (name) {
    for (const p of pages)
      $('page-' + p).hidden = p !== name;
    if (name === 'messages')
      $('nav-messages-new').hidden = true;
    for (const link of document.querySelectorAll('#nav a')) {
      if (link.getAttribute('href') === '#' + name)
        link.setAttribute('aria-current', 'page');
      else
        link.removeAttribute('aria-current');
    }
    const heading = $(name + '-title');
    if (heading && moved)
      heading.focus();
    moved = true;
  }

  function stopPolling () {
    if (pollTimer !== null)
      window.clearInterval(pollTimer);
    pollTimer = null;
  }

  async function route () {
    stopPolling();
    if (!csrf) {
      show('signin');
      return;
    }
    let name = (window.location.hash || '#appointments').slice(1);
    if (!pages.includes(name) || name === 'signin')
      name = 'appointments';
    show(name);
    try {
      if (name === 'appointments')
        await loadAppointments();
      else if (name === 'messages')
        await loadConversations();
      else if (name === 'forms')
        await loadForms();
      else if (name === 'documents')
        await loadDocuments();
      else if (name === 'account')
        $('account-email').textContent = me ? me.email : '';
    } catch (e) {
      failed(e);
    }
  }

  // @fresh: just signed in (an earlier message goes).
  function signedIn (data, fresh) {
    me = data;
    csrf = data.csrf;
    startLive();
    $('nav').hidden = false;
    if (fresh)
      $('status').textContent = '';
    $('practice-name').textContent = data.practice && data.practice.name ? data.practice.name : '';
    showNotice();
    showActingFor();
    // A page named in the address (a notice's #messages link) opens once
    // signed in; anything else opens the appointments.
    const target = window.location.hash.slice(1);
    if (!pages.includes(target) || target === 'signin')
      window.history.replaceState(null, '', window.location.pathname + '#appointments');
    route();
  }

  function signedOut () {
    csrf = null;
    me = null;
    stopPolling();
    stopLive();
    showActingFor();
    $('nav').hidden = true;
    $('form-email').hidden = false;
    $('form-code').hidden = true;
    if (window.location.hash)
      window.history.replaceState(null, '', window.location.pathname);
    $('practice-name').textContent = t('title');
    show('signin');
  }

  // Sign-in

  let pendingEmail = null;

  async function sendCode (event) {
    event.preventDefault();
    const email = $('email').value.trim();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      $('email').setAttribute('aria-invalid', 'true');
      say(t('signin.bad-email'));
      $('email').focus();
      return;
    }
    $('email').removeAttribute('aria-invalid');
    try {
      await api('POST', 'signin/code', { email, language: lang });
      pendingEmail = email;
      $('form-email').hidden = true;
      $('form-code').hidden = false;
      $('code').value = '';
      $('code').focus();
    } catch (e) {
      say(e.status === 429 ? t('signin.slow-down') : e.status === 0 ? t('error.network') : t('error.generic'));
    }
  }

  async function verifyCode (event) {
    event.preventDefault();
    const code = $('code').value.replace(/\s/g, '');
    try {
      const answer = await api('POST', 'signin/verify', { email: pendingEmail, code });
      csrf = answer.csrf;
      signedIn(await api('GET', 'me'), true);
    } catch (e) {
      $('code').setAttribute('aria-invalid', 'true');
      say(e.code === 'code_locked' ? t('signin.locked')
          : e.status === 429 ? t('signin.slow-down') : e.status === 0 ? t('error.network') : t('signin.bad-code'));
      $('code').focus();
    }
  }

  async function signInWithLink (token) {
    // The token leaves the address bar (and history) at once.
    window.history.replaceState(null, '', window.location.pathname);
    try {
      const answer = await api('POST', 'signin/link', { token });
      csrf = answer.csrf;
      signedIn(await api('GET', 'me'), true);
    } catch (e) {
      signedOut();
      say(e.status === 429 ? t('signin.slow-down') : t('signin.link-bad'));
    }
  }

  async function signOut (everywhere) {
    try {
      await api('POST', everywhere ? 'signout-everywhere' : 'signout');
    } catch (e) {
      // Signed out either way.
    }
    signedOut();
  }

  // Appointments

  async function loadAppointments () {
    const data = await api('GET', 'appointments');
    const list = $('appointments-list');
    clear(list);
    $('appointments-empty').hidden = data.appointments.length > 0;
    for (const a of data.appointments)
      list.appendChild(appointmentCard(a));
  }

  function appointmentCard (a) {
    const id = 'appt-' + a.id;
    const actions = el('div', { className: 'actions' });
    const card = el('li', { className: 'card', 'aria-labelledby': id + '-when' }, [
      // The client's own zone: the one the practice noted, else the device's.
      el('h2', { id: id + '-when', text: formatWhen(a.start, a.end, a.client_time_zone || null) }),
      el('p', { className: 'badge status-' + a.status, text: t('status.' + a.status) }),
      a.clinician ? el('p', { text: t('appointments.with', { name: a.clinician }) }) : null,
      el('p', { className: 'where', text: a.video ? t('appointments.video') : (a.address || '') }),
      actions
    ]);
    // A video session: a single-use link is made when the client asks
    // (the server says when the session has not started or is over).
    if (a.video && a.status !== 'cancelled' && a.status !== 'late_cancelled' && a.status !== 'completed')
      actions.appendChild(el('button', { type: 'button', text: t('appointments.join'),
                                         onclick: () => joinVideo(a) }));
    if (a.may_confirm)
      actions.appendChild(el('button', { type: 'button', text: t('appointments.confirm'),
                                         onclick: () => confirmAppointment(a) }));
    if (a.may_cancel)
      actions.appendChild(el('button', { type: 'button', className: 'secondary', text: t('appointments.move'),
                                         'aria-expanded': 'false', 'aria-controls': id + '-move',
                                         onclick: (event) => askMove(a, card, event.currentTarget) }));
    if (a.may_cancel)
      actions.appendChild(el('button', { type: 'button', className: 'secondary', text: t('appointments.cancel'),
                                         'aria-expanded': 'false', 'aria-controls': id + '-cancel',
                                         onclick: (event) => askCancel(a, card, event.currentTarget) }));
    return card;
  }

  async function joinVideo (a) {
    try {
      const data = await api('POST', 'appointments/' + a.id + '/join', {});
      if (data && typeof data.path === 'string' && /^\/video\/join\/[A-Za-z0-9_-]+$/.test(data.path))
        window.location.assign(data.path);
      else
        say(t('error.generic'));
    } catch (e) {
      if (e.status === 409 && ['not_started', 'not_open', 'ended'].includes(e.code))
        say(t('appointments.join-' + e.code));
      else
        failed(e);
    }
  }

  async function confirmAppointment (a) {
    try {
      await api('POST', 'appointments/' + a.id + '/confirm', {});
      say(t('appointments.confirmed'));
      await loadAppointments();
    } catch (e) {
      failed(e);
    }
  }

  // The window and the fee are shown before the client confirms.
  function askCancel (a, card, opener) {
    const existing = document.getElementById('appt-' + a.id + '-cancel');
    if (existing) {
      existing.remove();
      opener.setAttribute('aria-expanded', 'false');
      return;
    }
    opener.setAttribute('aria-expanded', 'true');
    const hours = a.late_cancel_hours;
    const terms = !a.cancel_is_late ? t('appointments.cancel-free', { hours })
      : a.late_cancel_fee > 0 ? t('appointments.cancel-late', { hours, fee: formatMoney(a.late_cancel_fee, a.currency) })
      : t('appointments.cancel-late-nofee', { hours });
    const reasonId = 'appt-' + a.id + '-reason';
    const panel = el('form', { id: 'appt-' + a.id + '-cancel', className: 'panel', novalidate: true }, [
      el('h3', { text: t('appointments.cancel-title'), tabindex: '-1' }),
      el('p', { className: a.cancel_is_late ? 'warning' : '', text: terms }),
      el('label', { for: reasonId, text: t('appointments.reason') }),
      el('input', { id: reasonId, type: 'text', maxlength: '200' }),
      el('div', { className: 'actions' }, [
        el('button', { type: 'submit', className: 'danger', text: t('appointments.cancel-yes') }),
        el('button', { type: 'button', className: 'secondary', text: t('appointments.cancel-no'),
                       onclick: () => { panel.remove(); opener.setAttribute('aria-expanded', 'false'); opener.focus(); } })
      ])
    ]);
    panel.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await api('POST', 'appointments/' + a.id + '/cancel', { reason: $(reasonId).value.trim() || null });
        say(t('appointments.cancelled'));
        await loadAppointments();
      } catch (e) {
        failed(e);
      }
    });
    card.appendChild(panel);
    panel.querySelector('h3').focus();
  }

  // Another time, from the times the practice offers: a request the front
  // desk answers (the appointment stays as it is meanwhile).
  async function askMove (a, card, opener) {
    const panelId = 'appt-' + a.id + '-move';
    const existing = document.getElementById(panelId);
    if (existing) {
      existing.remove();
      opener.setAttribute('aria-expanded', 'false');
      return;
    }
    let data;
    try {
      data = await api('GET', 'appointments/' + a.id + '/slots');
    } catch (e) {
      failed(e);
      return;
    }
    opener.setAttribute('aria-expanded', 'true');
    const legendId = panelId + '-legend';
    const choices = data.slots.map((start, i) => el('div', { className: 'choice' }, [
      el('input', { type: 'radio', id: panelId + '-' + i, name: panelId, value: start }),
      el('label', { for: panelId + '-' + i, text: formatWhen(start, null, a.client_time_zone || null) })
    ]));
    const panel = el('form', { id: panelId, className: 'panel', novalidate: true }, [
      el('h3', { text: t('appointments.move-title'), tabindex: '-1' }),
      data.slots.length === 0 ? el('p', { text: t('appointments.no-slots') }) : el('fieldset', { className: 'item' }, [
        el('legend', { id: legendId, text: t('appointments.move-choose') }),
        ...choices
      ]),
      el('div', { className: 'actions' }, [
        data.slots.length > 0 ? el('button', { type: 'submit', text: t('appointments.move-send') }) : null,
        el('button', { type: 'button', className: 'secondary', text: t('appointments.move-close'),
                       onclick: () => { panel.remove(); opener.setAttribute('aria-expanded', 'false'); opener.focus(); } })
      ])
    ]);
    panel.addEventListener('submit', async (event) => {
      event.preventDefault();
      const chosen = panel.querySelector('input[type=radio]:checked');
      if (!chosen) {
        say(t('appointments.move-pick'));
        panel.querySelector('input[type=radio]').focus();
        return;
      }
      try {
        await api('POST', 'appointments/' + a.id + '/request', { start: chosen.value });
        panel.remove();
        opener.setAttribute('aria-expanded', 'false');
        say(t('appointments.move-sent'));
      } catch (e) {
        failed(e);
      }
    });
    card.appendChild(panel);
    panel.querySelector('h3').focus();
  }

  // Live messages.  The server's event stream (GET /v1/portal/events,
  // Server-Sent Events) names each of the client's conversations that
  // changed, and the page reads it again through the ordinary API.  While
  // the stream is down (refused, reconnecting, or no EventSource), the
  // open conversation is polled every five seconds and the stream tried
  // again, after 5 s, then twice as long each time up to a minute.

  function stopLive () {
    if (events)
      events.close();
    events = null;
    liveUp = false;
    if (liveRetry !== null)
      window.clearTimeout(liveRetry);
    liveRetry = null;
  }

  function startLive () {
    stopLive();
    if (!csrf || typeof window.EventSource !== 'function') {
      updatePolling();
      return;
    }
    const source = new window.EventSource('/v1/portal/events');
    events = source;
    source.addEventListener('ready', () => {
      if (events !== source)
        return;
      liveUp = true;
      liveDelay = 5000;
      updatePolling();
      // Whatever changed while the stream was down.
      if (!$('page-messages').hidden && openConversation && !$('conversation').hidden)
        loadMessages().catch(failed);
    });
    source.addEventListener('conversation', (event) => {
      let data = null;
      try { data = JSON.parse(event.data); } catch (e) { data = null; }
      if (events === source && data && typeof data.conversation_id === 'string')
        conversationChanged(data.conversation_id);
    });
    // The session ended (signed out elsewhere): the next request says so.
    source.addEventListener('end', () => {
      stopLive();
      api('GET', 'me').then(startLive, failed);
    });
    source.addEventListener('error', () => {
      if (events !== source)
        return;
      liveUp = false;
      updatePolling();
      if (source.readyState === window.EventSource.CLOSED) {
        // Refused: signed out (the check says so), or the server is away.
        events = null;
        liveRetry = window.setTimeout(() => {
          liveRetry = null;
          api('GET', 'me').then(startLive, (e) => {
            failed(e);
            if (csrf)
              startLive();
          });
        }, liveDelay);
        liveDelay = Math.min(liveDelay * 2, 60000);
      }
    });
  }

  function conversationChanged (id) {
    if ($('page-messages').hidden) {
      $('nav-messages-new').hidden = false;
      return;
    }
    if (!$('form-new-conversation').hidden)
      return;
    if (openConversation && openConversation.id === id && !$('conversation').hidden)
      loadMessages().catch(failed);
    else
      loadConversations().catch(failed);
  }

  // Polling, only while the stream is down and a conversation is open.
  function updatePolling () {
    const open = csrf && openConversation && !$('page-messages').hidden && !$('conversation').hidden;
    if (!liveUp && open) {
      if (pollTimer === null)
        pollTimer = window.setInterval(() => { loadMessages().catch(failed); }, 5000);
    } else {
      stopPolling();
    }
  }

  // Messages

  // Whether the practice takes conversations the client starts (me.practice.client_start).
  function mayStart () {
    return Boolean(me && me.practice && me.practice.client_start);
  }

  // While a new conversation is written, the list and the open thread
  // (with its own message box) step aside; they come back as they were.
  function showNewConversation (show) {
    $('form-new-conversation').hidden = !show;
    $('new-conversation').hidden = show || !mayStart();
    if (show) {
      $('conversations-list').hidden = true;
      $('conversations-empty').hidden = true;
      $('conversation').hidden = true;
      stopPolling();
      $('new-conversation-title').focus();
    }
  }

  async function startConversation (event) {
    event.preventDefault();
    const text = $('new-text').value.trim();
    const subject = $('new-subject').value.trim();
    if (!text) {
      say(t('messages.empty'));
      $('new-text').focus();
      return;
    }
    try {
      const c = await api('POST', 'conversations', subject ? { subject, text } : { text });
      $('new-text').value = '';
      $('new-subject').value = '';
      showNewConversation(false);
      say(t('messages.started'));
      openConversation = c;
      await loadConversations();
    } catch (e) {
      if (e.status === 403 && e.code === 'client_start_off') {
        if (me && me.practice)
          me.practice.client_start = false;
        showNewConversation(false);
        say(t('messages.start-off'));
      } else {
        failed(e);
      }
    }
  }

  async function loadConversations () {
    const data = await api('GET', 'conversations');
    const list = $('conversations-list');
    $('new-conversation').hidden = !mayStart() || !$('form-new-conversation').hidden;
    const emptyKey = mayStart() ? 'messages.none-start' : 'messages.none';
    $('conversations-empty').setAttribute('data-i18n', emptyKey);
    $('conversations-empty').textContent = t(emptyKey);
    clear(list);
    $('conversations-empty').hidden = data.conversations.length > 0;
    for (const c of data.conversations)
      list.appendChild(el('li', {}, [
        el('button', { type: 'button', className: 'link', text: c.subject || t('messages.untitled'),
                       onclick: () => openThread(c) })
      ]));
    // One thread (the usual case): it opens at once, without a list.
    list.hidden = data.conversations.length === 1;
    if (openConversation && data.conversations.some((c) => c.id === openConversation.id))
      await openThread(openConversation, true);
    else if (data.conversations.length === 1)
      await openThread(data.conversations[0], true);
    else
      $('conversation').hidden = true;
  }

  async function openThread (c, quiet) {
    openConversation = c;
    $('conversation').hidden = false;
    $('conversation-title').textContent = c.subject || t('messages.untitled');
    await loadMessages();
    if (!quiet)
      $('conversation-title').focus();
    updatePolling();
  }

  async function loadMessages () {
    const c = openConversation;
    const data = await api('GET', 'conversations/' + c.id + '/messages');
    const list = $('messages-list');
    const shown = list.childElementCount;
    if (shown === data.messages.length && list.dataset.conversation === c.id)
      return;
    clear(list);
    list.dataset.conversation = c.id;
    for (const m of data.messages) {
      const who = m.from_client ? t('messages.you') : (m.author || t('messages.practice'));
      list.appendChild(el('li', { className: m.from_client ? 'mine' : 'theirs' }, [
        el('p', { className: 'meta' }, [
          el('span', { className: 'who', text: who }),
          el('span', { text: ' · ' }),
          el('time', { datetime: m.sent_at, text: formatTime(m.sent_at) })
        ]),
        el('p', { className: 'text', text: m.text === null ? t('messages.withdrawn') : m.text })
      ]));
    }
  }

  async function sendMessage (event) {
    event.preventDefault();
    const text = $('message-text').value.trim();
    if (!text) {
      say(t('messages.empty'));
      $('message-text').focus();
      return;
    }
    try {
      await api('POST', 'conversations/' + openConversation.id + '/messages', { text });
      $('message-text').value = '';
      say(t('messages.sent'));
      await loadMessages();
    } catch (e) {
      failed(e);
    }
  }

  // Forms

  async function loadForms () {
    const data = await api('GET', 'forms');
    const list = $('forms-list');
    clear(list);
    clear($('form-detail'));
    $('form-detail').hidden = true;
    list.hidden = false;
    $('forms-empty').hidden = data.forms.length > 0;
    for (const f of data.forms) {
      const pending = f.status === 'pending';
      list.appendChild(el('li', { className: 'card' }, [
        el('h2', { text: f.title }),
        f.kind === 'plan' ? el('p', { className: 'kind', text: t('forms.plan-label') }) : null,
        el('p', { className: 'badge ' + (pending ? 'status-scheduled' : 'status-confirmed'),
                  text: pending ? t('forms.waiting') : t('forms.done') }),
        f.signed_name ? el('p', { text: t('forms.signed-as', { name: f.signed_name }) }) : null,
        pending ? el('div', { className: 'actions' }, [
          el('button', { type: 'button', text: t('forms.open'), onclick: () => openForm(f) })
        ]) : null
      ]));
    }
  }

  function backToForms () {
    return el('button', { type: 'button', className: 'secondary', text: t('forms.back'), onclick: () => route() });
  }

  function openForm (f) {
    const detail = $('form-detail');
    clear(detail);
    $('forms-list').hidden = true;
    $('forms-empty').hidden = true;
    detail.hidden = false;
    const heading = el('h2', { id: 'form-title', tabindex: '-1', text: f.title });
    detail.appendChild(heading);
    if (f.kind === 'consent' || f.kind === 'plan')
      detail.appendChild(consentForm(f));
    else if (f.kind === 'intake')
      detail.appendChild(intakeForm(f));
    else
      detail.appendChild(measureForm(f));
    heading.focus();
  }

  // A consent, or the treatment plan the clinician signed (kind "plan"):
  // both are signed as shown, with a typed name.
  function consentForm (f) {
    const plan = f.kind === 'plan';
    const form = el('form', { novalidate: true, 'aria-labelledby': 'form-title' }, [
      el('div', { className: 'consent-text', tabindex: '0', 'aria-label': f.title, text: f.text }),
      el('p', { text: t(plan ? 'forms.plan-intro' : 'forms.sign-intro') }),
      el('label', { for: 'sign-name', text: t('forms.name') }),
      el('input', { id: 'sign-name', type: 'text', autocomplete: 'name', maxlength: '120', required: true }),
      el('div', { className: 'check' }, [
        el('input', { id: 'sign-agree', type: 'checkbox', required: true }),
        el('label', { for: 'sign-agree', text: t(plan ? 'forms.plan-agree' : 'forms.agree') })
      ]),
      el('div', { className: 'actions' }, [
        el('button', { type: 'submit', text: t('forms.sign') }),
        backToForms()
      ])
    ]);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const name = $('sign-name').value.trim();
      if (!name || !$('sign-agree').checked) {
        say(t('forms.need-name'));
        (name ? $('sign-agree') : $('sign-name')).focus();
        return;
      }
      try {
        // The hash is of the text as the server sent it and the page showed it.
        await api('POST', 'forms/' + f.id + '/sign', { name, text_sha256: f.text_sha256 });
        say(t('forms.signed'));
        await loadForms();
      } catch (e) {
        if (e.code === 'plan_changed') {
          say(t('forms.plan-changed'));
          await loadForms();
        } else {
          failed(e);
        }
      }
    });
    return form;
  }

  function measureForm (f) {
    const fieldsets = f.items.map((item, i) => el('fieldset', { className: 'item' }, [
      el('legend', { text: (i + 1) + '. ' + item }),
      ...(f.item_options ? f.item_options[i] : f.options).map((option, o) => el('div', { className: 'choice' }, [
        el('input', { type: 'radio', id: 'q' + i + '-' + o, name: 'q' + i, value: String(o) }),
        el('label', { for: 'q' + i + '-' + o, text: option })
      ]))
    ]));
    const form = el('form', { novalidate: true, 'aria-labelledby': 'form-title' }, [
      f.stem ? el('p', { className: 'stem', text: f.stem }) : null,
      ...fieldsets,
      el('div', { className: 'actions' }, [
        el('button', { type: 'submit', text: t('forms.submit') }),
        backToForms()
      ])
    ]);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const answers = [];
      for (let i = 0; i < f.items.length; i++) {
        const chosen = form.querySelector('input[name="q' + i + '"]:checked');
        if (!chosen) {
          say(t('forms.answer-all'));
          form.querySelector('input[name="q' + i + '"]').focus();
          return;
        }
        answers.push(Number(chosen.value));
      }
      try {
        await api('POST', 'forms/' + f.id + '/answers', { answers });
        say(t('forms.answered'));
        await loadForms();
      } catch (e) {
        failed(e);
      }
    });
    return form;
  }

  // An intake form: contact and insurance details, named as the client
  // record's members; the practice reviews them before they enter the record.
  const intakeGroups = [
    ['intake.contact', [['preferred_name', 'text', 'nickname', 80], ['pronouns', 'text', null, 40],
                        ['email', 'email', 'email', 254], ['phone_mobile', 'tel', 'tel', 40],
                        ['phone_home', 'tel', null, 40], ['address.line1', 'text', 'address-line1', 120],
                        ['address.line2', 'text', 'address-line2', 120], ['address.city', 'text', 'address-level2', 80],
                        ['address.region', 'text', 'address-level1', 80], ['address.postal_code', 'text', 'postal-code', 20]]],
    ['intake.emergency', [['emergency_contact.name', 'text', null, 120], ['emergency_contact.relationship', 'text', null, 40],
                          ['emergency_contact.phone', 'tel', null, 40]]],
    ['intake.insurance', [['insurance.payer', 'text', null, 120], ['insurance.member_number', 'text', null, 40],
                          ['insurance.group_number', 'text', null, 40], ['insurance.subscriber', 'text', null, 120],
                          ['insurance.subscriber_relationship', 'text', null, 40]]]
  ];

  function intakeForm (f) {
    const inputId = (name) => 'intake-' + name.replace(/[._]/g, '-');
    const fieldsets = intakeGroups.map(([legend, fields]) => el('fieldset', { className: 'item' }, [
      el('legend', { text: t(legend) }),
      ...fields.flatMap(([name, type, autocomplete, max]) => [
        el('label', { for: inputId(name), text: t('intake.' + name) }),
        el('input', { id: inputId(name), name, type, autocomplete, maxlength: String(max) })
      ])
    ]));
    const form = el('form', { novalidate: true, 'aria-labelledby': 'form-title' }, [
      el('p', { text: t('intake.intro') }),
      ...fieldsets,
      el('div', { className: 'actions' }, [
        el('button', { type: 'submit', text: t('intake.submit') }),
        backToForms()
      ])
    ]);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const details = {};
      for (const [, fields] of intakeGroups)
        for (const [name] of fields) {
          const value = $(inputId(name)).value.trim();
          if (value)
            details[name] = value;
        }
      if (Object.keys(details).length === 0) {
        say(t('intake.empty'));
        $(inputId(intakeGroups[0][1][0][0])).focus();
        return;
      }
      try {
        await api('POST', 'forms/' + f.id + '/details', { details });
        say(t('intake.sent'));
        await loadForms();
      } catch (e) {
        failed(e);
      }
    });
    return form;
  }

  // Documents

  async function loadDocuments () {
    const data = await api('GET', 'documents');
    const list = $('documents-list');
    clear(list);
    $('documents-empty').hidden = data.documents.length > 0;
    // Newest first; a statement or superbill is named by its kind and
    // number in the page's language, a chart document by its title.
    const docs = data.documents.slice().sort((a, b) => String(b.added_at || '').localeCompare(String(a.added_at || '')));
    for (const d of docs) {
      const title = d.kind === 'statement' || d.kind === 'superbill'
        ? t('documents.' + d.kind, { number: d.number || '' }) : d.title;
      let when = '';
      if (d.added_at) {
        const at = new Date(d.added_at);
        if (!isNaN(at))
          when = t('documents.shared', { date: at.toLocaleDateString(lang, { year: 'numeric', month: 'long', day: 'numeric' }) });
      }
      list.appendChild(el('li', { className: 'document', 'data-kind': d.kind }, [
        el('a', { href: '/v1/portal/documents/' + encodeURIComponent(d.id) + '/download', download: '',
                  text: t('documents.download', { title: title }) }),
        when ? el('p', { className: 'meta', text: when }) : null
      ]));
    }
    await loadSafetyPlan();
  }

  // The safety plan the clinician shared: each step and its items, in the
  // client's own words (text only), and the crisis line.
  const safetySteps = ['warning_signs', 'coping_strategies', 'distractions', 'help_contacts',
                       'professionals', 'means_safety', 'reasons_for_living'];

  async function loadSafetyPlan () {
    const data = await api('GET', 'safety-plan');
    const plan = data.safety_plan;
    const steps = $('safety-plan-steps');
    clear(steps);
    $('safety-plan').hidden = !plan;
    if (!plan)
      return;
    // A calendar date (no time, no zone): formatted for the page's language.
    let made = plan.plan_date || '';
    const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(made);
    if (parts) {
      made = new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3]))
        .toLocaleDateString(lang, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
    }
    $('safety-plan-date').textContent = t('safety.made', { date: made });
    for (const key of safetySteps) {
      const items = String(plan[key] || '').split('\n').map((line) => line.trim()).filter((line) => line);
      steps.appendChild(el('h3', { text: t('safety.' + key) }));
      steps.appendChild(items.length
        ? el('ul', {}, items.map((item) => el('li', { text: item })))
        : el('p', { text: t('safety.none') }));
    }
    $('safety-plan-crisis').textContent = t('safety.emergency', { line: plan.crisis_line || '' });
  }

  // Start

  document.addEventListener('DOMContentLoaded', async () => {
    lang = chooseLanguage();
    applyLanguage();
    $('lang').addEventListener('change', () => {
      lang = $('lang').value === 'es' ? 'es' : 'en';
      try { window.localStorage.setItem('tend-portal-lang', lang); } catch (e) { /* private mode */ }
      applyLanguage();
      if (csrf)
        route();
      else
        $('practice-name').textContent = t('title');
    });
    $('form-email').addEventListener('submit', sendCode);
    $('form-code').addEventListener('submit', verifyCode);
    $('code-back').addEventListener('click', () => {
      $('form-code').hidden = true;
      $('form-email').hidden = false;
      $('email').focus();
    });
    $('form-message').addEventListener('submit', sendMessage);
    $('form-new-conversation').addEventListener('submit', startConversation);
    $('new-conversation').addEventListener('click', () => showNewConversation(true));
    $('new-cancel').addEventListener('click', async () => {
      showNewConversation(false);
      $('new-conversation').focus();
      try {
        await loadConversations();
      } catch (e) {
        failed(e);
      }
    });
    $('signout').addEventListener('click', () => signOut(false));
    $('signout-all').addEventListener('click', () => signOut(true));
    window.addEventListener('hashchange', () => {
      if (!csrf)
        return;
      $('status').textContent = '';
      route();
    });

    const hash = window.location.hash;
    if (hash.startsWith('#link=')) {
      await signInWithLink(decodeURIComponent(hash.slice(6)));
      return;
    }
    try {
      signedIn(await api('GET', 'me'));
    } catch (e) {
      signedOut();
    }
  });
})();
