'use strict';
// The approver console's one script: passkey ceremonies through navigator.credentials, JSON to the console's API.
(function () {
  function enc(buffer) {
    const bytes = new Uint8Array(buffer);
    let text = '';
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function dec(text) {
    const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '==='.slice((b64.length + 3) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }
  function csrf() {
    const meta = document.querySelector('meta[name="csrf"]');
    return meta ? meta.content : '';
  }
  async function post(url, body) {
    const response = await fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf() },
      body: JSON.stringify(body)
    });
    const json = await response.json().catch(() => ({ error: 'HTTP ' + response.status }));
    if (!response.ok) throw new Error(json.error || ('HTTP ' + response.status));
    return json;
  }
  function show(text, ok) {
    const el = document.getElementById('status');
    if (el) { el.textContent = text; el.className = ok ? 'ok' : 'error'; }
  }
  async function assertion(options) {
    const credential = await navigator.credentials.get({ publicKey: {
      challenge: dec(options.challenge), rpId: options.rpId, userVerification: 'required', timeout: 60000,
      allowCredentials: (options.allow || []).map(id => ({ type: 'public-key', id: dec(id) }))
    } });
    return {
      ceremony: options.ceremony, id: enc(credential.rawId),
      clientDataJSON: enc(credential.response.clientDataJSON),
      authenticatorData: enc(credential.response.authenticatorData),
      signature: enc(credential.response.signature)
    };
  }
  async function signIn() {
    const options = await post('/api/signin/options', {});
    await post('/api/signin/finish', await assertion(options));
    window.location.assign('/requests');
  }
  async function enroll(token) {
    const o = await post('/api/enroll/options', { token: token });
    const credential = await navigator.credentials.create({ publicKey: {
      challenge: dec(o.challenge), rp: { id: o.rpId, name: 'Approver console' },
      user: { id: dec(o.userId), name: o.userName, displayName: o.userName },
      pubKeyCredParams: o.algorithms.map(alg => ({ type: 'public-key', alg: Number(alg) })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      attestation: 'none', timeout: 60000
    } });
    const done = await post('/api/enroll/finish', {
      token: token, ceremony: o.ceremony,
      clientDataJSON: enc(credential.response.clientDataJSON),
      attestationObject: enc(credential.response.attestationObject)
    });
    document.getElementById('entry').textContent = done.entry;
    return done;
  }
  async function decide(subjectId, requestId, decision) {
    const options = await post('/api/decide/options', { subjectId: subjectId, requestId: requestId, decision: decision });
    return post('/api/decide/finish', await assertion(options));
  }
  async function openRequest(form) {
    const value = name => form.elements[name].value.trim();
    const options = await post('/api/request/options', {
      subjectId: value('subjectId'), reason: value('reason'), method: value('method'), reference: value('reference'),
      level: value('level'), lost: value('lost'), comment: value('comment')
    });
    return post('/api/request/finish', await assertion(options));
  }
  window.approverConsole = { post: post, assertion: assertion, decide: decide, enroll: enroll, openRequest: openRequest };
  document.addEventListener('DOMContentLoaded', function () {
    const signInButton = document.getElementById('signin');
    if (signInButton) signInButton.addEventListener('click', () => signIn().catch(e => show(e.message, false)));
    const enrollButton = document.getElementById('enroll');
    if (enrollButton) enrollButton.addEventListener('click', () => enroll(enrollButton.dataset.token)
      .then(() => show('Passkey enrolled. Send the line below to the operators.', true)).catch(e => show(e.message, false)));
    const requestForm = document.getElementById('open-request');
    if (requestForm) requestForm.addEventListener('submit', event => {
      event.preventDefault();
      openRequest(requestForm).then(r => show(r.message, true)).catch(e => show(e.message, false));
    });
    document.querySelectorAll('button.decide').forEach(button => button.addEventListener('click', () =>
      decide(button.dataset.subject, button.dataset.request, button.dataset.decision)
        .then(r => { show(r.message, true); document.querySelectorAll('button.decide').forEach(b => { b.disabled = true; }); })
        .catch(e => show(e.message, false))));
  });
})();
