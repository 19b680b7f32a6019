// SPDX-License-Identifier: GPL-3.0-or-later
//
// A client joins a video session from the link the clinician sent: the
// token in the page's address opens /v1/video/guest (once), the clinician
// admits them from Tend's waiting room, and each participant already there
// offers a connection (RTCPeerConnection; Tend's side is GStreamer's
// webrtcbin).  docs/api.md, "Video sessions", describes the messages.
//
// The first "video.waiting" carries a rejoin token for this guest, kept in
// sessionStorage: when the socket to the practice drops, or a connection
// to the clinician fails for good, the page comes back with it by itself
// (waiting longer each time, "Reconnecting…" on screen), and the server
// lets it straight back into the call if the clinician had admitted it.
'use strict';

(function () {
  // The page's language is the one tend-server chose from the browser's
  // Accept-Language (it wrote the page's own texts in it).
  const spanish = {
    'Waiting for your clinician…': 'Esperando a su profesional…',
    'Your clinician': 'Su profesional',
    'Connected': 'Conectado',
    'Reconnecting…': 'Reconectando…',
    'The session has ended. You can close this page.': 'La sesión terminó. Puede cerrar esta página.',
    'The call could not be set up: ': 'No se pudo establecer la llamada: ',
    'You are in the waiting room. Your clinician will let you in.':
      'Está en la sala de espera. Su profesional le dará paso.',
    'Connecting…': 'Conectando…',
    'Camera %d': 'Cámara %d',
    'Microphone %d': 'Micrófono %d',
    'Speaker %d': 'Altavoz %d',
    'That device could not be used (%s).': 'No se pudo usar ese dispositivo (%s).',
    'Connection: good': 'Conexión: buena',
    'Connection: fair': 'Conexión: regular',
    'Connection: poor': 'Conexión: mala',
    'Round trip %1 ms, %2 % of packets lost, %3 kbit/s available':
      'Ida y vuelta %1 ms, %2 % de paquetes perdidos, %3 kbit/s disponibles',
    'Mute': 'Silenciar',
    'Unmute': 'Activar micrófono',
    'Camera off': 'Apagar cámara',
    'Camera on': 'Encender cámara',
    'You left the session. You can close this page.': 'Salió de la sesión. Puede cerrar esta página.',
    'Your camera or microphone could not be used (%s). Allow this page to use them, then reload it.':
      'No se pudo usar su cámara o micrófono (%s). Permita que esta página los use y vuelva a cargarla.',
    'The connection to the practice was lost. Ask your clinician for a new link to join again.':
      'Se perdió la conexión con la consulta. Pida un enlace nuevo a su profesional para volver a entrar.',
  };
  const t = (text) => (document.documentElement.lang === 'es' && spanish[text]) || text;

  const token = decodeURIComponent(location.pathname.split('/').pop());
  const statusEl = document.getElementById('status');
  const remotesEl = document.getElementById('remotes');
  const selfEl = document.getElementById('self');
  const timerEl = document.getElementById('timer');
  const muteEl = document.getElementById('mute');
  const cameraEl = document.getElementById('camera');
  const hangupEl = document.getElementById('hangup');
  const cameraSelectEl = document.getElementById('camera-select');
  const microphoneSelectEl = document.getElementById('microphone-select');
  const speakerSelectEl = document.getElementById('speaker-select');
  const speakerLabelEl = document.getElementById('speaker-label');
  // Choosing where the sound goes needs setSinkId (not every browser).
  const canChooseSpeaker = 'setSinkId' in HTMLMediaElement.prototype;
  let speaker = '';
  const qualityEl = document.getElementById('quality');
  const qualityTextEl = document.getElementById('quality-text');
  const soundEl = document.getElementById('sound');
  const peers = new Map();   // peer id -> { pc, video, pending: [] }
  const rejoinKey = 'tend-rejoin:' + token;
  const maxAttempts = 10;    // about a minute of trying, waiting longer each time
  let rejoin = null;         // { token, session_id, guest_id } from the first "video.waiting"
  try { rejoin = JSON.parse(sessionStorage.getItem(rejoinKey)); } catch (e) { rejoin = null; }
  let attempts = 0;
  let rejoins = 0;           // times back in the call after a drop (for tests)
  let cameBack = false;
  let socket = null;
  let stream = null;
  let sessionId = null;
  let iceServers = [];       // from "video.joined"
  let icePolicy = 'all';     // "relay" when the practice sends every call through its relay
  let connectedAt = 0;
  let ended = false;
  let muted = false;
  let cameraOff = false;

  // Steps of the join on the page's own clock (ms from its load), once
  // each: bench/bench-video-browser reads them.
  function mark(step) {
    if (performance.getEntriesByName('tend-' + step).length === 0) performance.mark('tend-' + step);
  }

  function show(text, state) {
    statusEl.textContent = text;
    if (state) document.body.dataset.state = state;
  }

  function send(to, data) {
    if (socket && socket.readyState === WebSocket.OPEN && sessionId)
      socket.send(JSON.stringify({ type: 'video.signal', session_id: sessionId, to: to, data: data }));
  }

  function sendState(to) {
    send(to, { kind: 'state', muted: muted, camera_off: cameraOff });
  }

  function closePeer(id, quiet) {
    const peer = peers.get(id);
    if (!peer) return;
    peer.pc.close();
    peer.video.remove();
    peers.delete(id);
    if (peers.size === 0 && !ended && !quiet) show(t('Waiting for your clinician…'), 'waiting');
  }

  function ensurePeer(id) {
    let peer = peers.get(id);
    if (peer) return peer;
    const pc = new RTCPeerConnection({ iceServers: iceServers, iceTransportPolicy: icePolicy });
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute('aria-label', t('Your clinician'));
    if (speaker && canChooseSpeaker) video.setSinkId(speaker).catch(() => {});
    remotesEl.appendChild(video);
    peer = { pc: pc, video: video, pending: [] };
    peers.set(id, peer);
    stream.getTracks().forEach((track) => pc.addTrack(track, stream));
    pc.ontrack = (event) => {
      if (!video.srcObject) video.srcObject = event.streams[0] || new MediaStream();
      if (!event.streams[0]) video.srcObject.addTrack(event.track);
      // A browser may refuse sound before the person has touched the page.
      video.play().catch(() => {
        soundEl.hidden = false;
      });
      // The first picture decoded from the others (a video element may show a
      // black frame before it, so the decoder's count says).
      if (event.track.kind === 'video') {
        const poll = setInterval(() => {
          event.receiver.getStats().then((stats) => stats.forEach((report) => {
            if (report.type === 'inbound-rtp' && report.framesDecoded > 0) {
              mark('first-frame');
              clearInterval(poll);
            }
          }), () => clearInterval(poll));
        }, 10);
        setTimeout(() => clearInterval(poll), 30000);
      }
    };
    pc.onicecandidate = (event) => {
      if (event.candidate)
        send(id, { kind: 'ice', candidate: event.candidate.candidate, sdpMLineIndex: event.candidate.sdpMLineIndex });
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected') {
        if (!connectedAt) connectedAt = Date.now();
        mark('connected');
        show(t('Connected'), 'connected');
      } else if (pc.connectionState === 'disconnected') {
        show(t('Reconnecting…'), 'reconnecting');
      } else if (pc.connectionState === 'failed' && peers.get(id) === peer) {
        // ICE gave up: start again through the practice, which has every
        // participant offer afresh.
        show(t('Reconnecting…'), 'reconnecting');
        if (socket) socket.close(4000);
      }
    };
    return peer;
  }

  async function onSignal(from, data) {
    if (data.kind === 'offer' || data.kind === 'answer') {
      mark(data.kind === 'offer' ? 'offer' : 'answer');
      const peer = ensurePeer(from);
      await peer.pc.setRemoteDescription({ type: data.kind, sdp: data.sdp });
      for (const candidate of peer.pending.splice(0)) await peer.pc.addIceCandidate(candidate);
      if (data.kind === 'offer') {
        const answer = await peer.pc.createAnswer();
        await peer.pc.setLocalDescription(answer);
        send(from, { kind: 'answer', sdp: peer.pc.localDescription.sdp });
        sendState(from);
      }
    } else if (data.kind === 'ice') {
      const peer = ensurePeer(from);
      const candidate = { candidate: data.candidate, sdpMLineIndex: data.sdpMLineIndex };
      if (peer.pc.remoteDescription) await peer.pc.addIceCandidate(candidate);
      else peer.pending.push(candidate);
    } else if (data.kind === 'state') {
      const peer = peers.get(from);
      if (peer) peer.video.dataset.muted = data.muted ? 'true' : 'false';
    } else if (data.kind === 'hangup') {
      closePeer(from);
      if (peers.size === 0) finish(t('The session has ended. You can close this page.'));
    }
  }

  // A participant who comes after us: we were there first, so we offer.
  async function offerTo(id) {
    mark('offer');
    const peer = ensurePeer(id);
    const offer = await peer.pc.createOffer();
    await peer.pc.setLocalDescription(offer);
    send(id, { kind: 'offer', sdp: peer.pc.localDescription.sdp });
    sendState(id);
  }

  function handle(message) {
    switch (message.type) {
      case 'video.waiting':
        attempts = 0;
        if (message.rejoin_token && message.guest_id) {
          rejoin = { token: message.rejoin_token, session_id: message.session_id, guest_id: message.guest_id };
          try { sessionStorage.setItem(rejoinKey, JSON.stringify(rejoin)); } catch (e) { /* kept in memory */ }
        }
        mark('waiting');
        document.body.dataset.waited = 'true';
        show(t('You are in the waiting room. Your clinician will let you in.'), 'waiting');
        break;
      case 'video.joined':
        attempts = 0;
        if (cameBack) document.body.dataset.rejoins = String(++rejoins);
        cameBack = false;
        mark('admitted');
        sessionId = message.session_id;
        // The practice's STUN and TURN servers, with credentials of our own.
        iceServers = Array.isArray(message.ice_servers) ? message.ice_servers : [];
        icePolicy = message.ice_transport_policy === 'relay' ? 'relay' : 'all';
        show(t('Connecting…'), 'joining');
        break;
      case 'video.peer-joined':
        offerTo(message.peer.peer_id).catch((e) => show(t('The call could not be set up: ') + e.message));
        break;
      case 'video.peer-left':
        closePeer(message.peer_id);
        break;
      case 'video.signal':
        onSignal(message.from, message.data).catch((e) => show(t('The call could not be set up: ') + e.message));
        break;
      case 'video.error':
        show(message.message, 'error');
        break;
      default:
        break;
    }
  }

  function finish(text) {
    ended = true;
    for (const id of Array.from(peers.keys())) closePeer(id);
    if (stream) stream.getTracks().forEach((track) => track.stop());
    if (socket) socket.close(1000);
    try { sessionStorage.removeItem(rejoinKey); } catch (e) { /* nothing kept */ }
    show(text, 'ended');
  }

  // Pictures decoded from the others, for the quality of the call (and
  // tests), and the kind of route in use: "host" or "prflx" straight, "relay"
  // through the practice's TURN server.
  async function countFrames() {
    let frames = 0;
    let route = '';
    for (const peer of peers.values()) {
      const stats = await peer.pc.getStats();
      stats.forEach((report) => {
        if (report.type === 'inbound-rtp' && report.kind === 'video') frames += report.framesDecoded || 0;
        if (report.type === 'transport' && report.selectedCandidatePairId) {
          const pair = stats.get(report.selectedCandidatePairId);
          const local = pair && stats.get(pair.localCandidateId);
          if (local) route = local.candidateType;
        }
      });
    }
    document.body.dataset.framesDecoded = String(frames);
    if (route) document.body.dataset.route = route;
    if (connectedAt) {
      const s = Math.floor((Date.now() - connectedAt) / 1000);
      timerEl.textContent = String(Math.floor(s / 60)).padStart(2, '0') + ':' + String(s % 60).padStart(2, '0');
    }
  }

  // The network's quality, from each connection's statistics over the last
  // two seconds: round-trip time, share of packets lost and the bitrate the
  // browser estimates it can send; the worst connection counts.  (A
  // browser starts its estimate at about 300 kbit/s and raises it as the
  // call goes: only less than that counts against the network.)
  function grade(rtt, loss, bitrate) {
    if (rtt > 0.4 || loss > 0.08 || bitrate < 100000) return 'poor';
    if (rtt > 0.2 || loss > 0.02 || bitrate < 250000) return 'fair';
    return 'good';
  }
  const grades = ['good', 'fair', 'poor'];

  async function measureQuality() {
    let worst = -1;
    let rttMax = 0;
    let lossMax = 0;
    let bitrateMin = Infinity;
    for (const peer of peers.values()) {
      if (peer.pc.connectionState !== 'connected') continue;
      const stats = await peer.pc.getStats();
      let rtt = 0;
      let bitrate = Infinity;
      let lost = 0;
      let received = 0;
      stats.forEach((report) => {
        if (report.type === 'transport' && report.selectedCandidatePairId) {
          const pair = stats.get(report.selectedCandidatePairId);
          if (pair && typeof pair.currentRoundTripTime === 'number') rtt = pair.currentRoundTripTime;
          if (pair && typeof pair.availableOutgoingBitrate === 'number') bitrate = pair.availableOutgoingBitrate;
        }
        if (report.type === 'inbound-rtp') {
          lost += report.packetsLost || 0;
          received += report.packetsReceived || 0;
        }
      });
      const newLost = Math.max(0, lost - (peer.lost || 0));
      const newReceived = Math.max(0, received - (peer.received || 0));
      peer.lost = lost;
      peer.received = received;
      const loss = newLost + newReceived > 0 ? newLost / (newLost + newReceived) : 0;
      worst = Math.max(worst, grades.indexOf(grade(rtt, loss, bitrate)));
      rttMax = Math.max(rttMax, rtt);
      lossMax = Math.max(lossMax, loss);
      bitrateMin = Math.min(bitrateMin, bitrate);
    }
    if (worst < 0) {
      qualityEl.hidden = true;
      return;
    }
    const quality = grades[worst];
    if (qualityEl.dataset.quality !== quality) {
      qualityEl.dataset.quality = quality;
      qualityTextEl.textContent = t('Connection: ' + quality);
    }
    qualityEl.title = t('Round trip %1 ms, %2 % of packets lost, %3 kbit/s available')
      .replace('%1', String(Math.round(rttMax * 1000)))
      .replace('%2', String(Math.round(lossMax * 1000) / 10))
      .replace('%3', bitrateMin === Infinity ? '?' : String(Math.round(bitrateMin / 1000)));
    qualityEl.dataset.rtt = String(rttMax);
    qualityEl.hidden = false;
  }

  // Choosing the camera and microphone: the browser's devices (their names
  // once the page may use them), the one in use selected; a change takes a
  // new track from that device and puts it in place of the old one on
  // every connection, without a new offer.
  function trackOf(kind) {
    return kind === 'video' ? stream.getVideoTracks()[0] : stream.getAudioTracks()[0];
  }

  function fillDevices(select, devices, fallback, kind) {
    const track = trackOf(kind);
    const current = track ? track.getSettings().deviceId : '';
    select.textContent = '';
    devices.forEach((device, i) => {
      const option = document.createElement('option');
      option.value = device.deviceId;
      option.textContent = device.label || t(fallback).replace('%d', String(i + 1));
      option.selected = device.deviceId === current;
      select.appendChild(option);
    });
    select.disabled = devices.length < 2;
  }

  async function listDevices() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    fillDevices(cameraSelectEl, devices.filter((d) => d.kind === 'videoinput'), 'Camera %d', 'video');
    fillDevices(microphoneSelectEl, devices.filter((d) => d.kind === 'audioinput'), 'Microphone %d', 'audio');
    const outputs = devices.filter((d) => d.kind === 'audiooutput');
    speakerLabelEl.hidden = !canChooseSpeaker || outputs.length === 0;
    if (!speakerLabelEl.hidden) {
      speakerSelectEl.textContent = '';
      outputs.forEach((device, i) => {
        const option = document.createElement('option');
        option.value = device.deviceId;
        option.textContent = device.label || t('Speaker %d').replace('%d', String(i + 1));
        option.selected = device.deviceId === speaker || (!speaker && device.deviceId === 'default');
        speakerSelectEl.appendChild(option);
      });
      speakerSelectEl.disabled = outputs.length < 2;
    }
  }

  // The others' sound to the chosen output, for every picture now and later.
  async function useSpeaker(deviceId) {
    for (const peer of peers.values()) await peer.video.setSinkId(deviceId);
    speaker = deviceId;
    document.body.dataset.speaker = deviceId;
  }
  speakerSelectEl.addEventListener('change', () => {
    useSpeaker(speakerSelectEl.value).catch((e) => {
      show(t('That device could not be used (%s).').replace('%s', e.name), document.body.dataset.state);
      listDevices().catch(() => {});
    });
  });

  async function useDevice(kind, deviceId) {
    const old = trackOf(kind);
    if (old && old.getSettings().deviceId === deviceId) return;
    const constraints = kind === 'video'
      ? { video: { deviceId: { exact: deviceId }, width: 640, height: 480 } }
      : { audio: { deviceId: { exact: deviceId } } };
    const fresh = await navigator.mediaDevices.getUserMedia(constraints);
    const track = kind === 'video' ? fresh.getVideoTracks()[0] : fresh.getAudioTracks()[0];
    track.enabled = kind === 'video' ? !cameraOff : !muted;
    for (const peer of peers.values()) {
      const sender = peer.pc.getSenders().find((s) => s.track && s.track.kind === kind);
      if (sender) await sender.replaceTrack(track);
    }
    if (old) {
      stream.removeTrack(old);
      old.stop();
    }
    stream.addTrack(track);
    if (kind === 'video') selfEl.srcObject = stream;
    document.body.dataset[kind === 'video' ? 'camera' : 'microphone'] = deviceId;
  }

  function onDeviceChosen(select, kind) {
    select.addEventListener('change', () => {
      useDevice(kind, select.value).catch((e) => {
        show(t('That device could not be used (%s).').replace('%s', e.name), document.body.dataset.state);
        listDevices().catch(() => {});
      });
    });
  }
  onDeviceChosen(cameraSelectEl, 'video');
  onDeviceChosen(microphoneSelectEl, 'audio');

  muteEl.addEventListener('click', () => {
    muted = !muted;
    stream.getAudioTracks().forEach((track) => { track.enabled = !muted; });
    muteEl.setAttribute('aria-pressed', String(muted));
    muteEl.textContent = t(muted ? 'Unmute' : 'Mute');
    for (const id of peers.keys()) sendState(id);
  });
  cameraEl.addEventListener('click', () => {
    cameraOff = !cameraOff;
    stream.getVideoTracks().forEach((track) => { track.enabled = !cameraOff; });
    cameraEl.setAttribute('aria-pressed', String(cameraOff));
    cameraEl.textContent = t(cameraOff ? 'Camera on' : 'Camera off');
    for (const id of peers.keys()) sendState(id);
  });
  soundEl.addEventListener('click', () => {
    for (const peer of peers.values()) peer.video.play().catch(() => {});
    soundEl.hidden = true;
  });
  hangupEl.addEventListener('click', () => {
    for (const id of peers.keys()) send(id, { kind: 'hangup' });
    finish(t('You left the session. You can close this page.'));
  });

  function socketUrl() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const base = scheme + '//' + location.host + '/v1/video/guest?';
    if (!rejoin) return base + 'token=' + encodeURIComponent(token);
    return base + 'rejoin=' + encodeURIComponent(rejoin.token) + '&session_id=' + encodeURIComponent(rejoin.session_id) +
      '&guest_id=' + encodeURIComponent(rejoin.guest_id);
  }

  function connect() {
    const ws = new WebSocket(socketUrl());
    socket = ws;
    ws.onopen = () => mark('socket');
    ws.onmessage = (event) => {
      if (ws !== socket) return;
      try { handle(JSON.parse(event.data)); } catch (e) { /* not for us */ }
    };
    ws.onclose = () => {
      if (ws === socket) dropped();
    };
  }

  // The socket to the practice closed (or could not open): the calls go
  // with it (the others offer afresh when we are back); come back with the
  // rejoin token, waiting a little longer each time.
  function dropped() {
    socket = null;
    if (ended) return;
    for (const id of Array.from(peers.keys())) closePeer(id, true);
    document.body.dataset.framesDecoded = '0';
    qualityEl.hidden = true;
    if (!rejoin || attempts >= maxAttempts) {
      show(t('The connection to the practice was lost. Ask your clinician for a new link to join again.'), 'lost');
      return;
    }
    show(t('Reconnecting…'), 'reconnecting');
    cameBack = true;
    setTimeout(connect, Math.min(500 * 2 ** attempts, 8000));
    attempts++;
  }

  // For the browser tests: drop the socket as a network failure would.
  window.addEventListener('tend-test-drop-connection', () => {
    if (socket) socket.close(4000);
  });

  async function start() {
    mark('script');
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true });
    } catch (e) {
      show(t('Your camera or microphone could not be used (%s). Allow this page to use them, then reload it.')
        .replace('%s', e.name), 'no-devices');
      return;
    }
    mark('devices');
    selfEl.srcObject = stream;
    listDevices().catch(() => {});
    navigator.mediaDevices.addEventListener('devicechange', () => { listDevices().catch(() => {}); });
    connect();
    setInterval(() => { countFrames().catch(() => {}); }, 500);
    setInterval(() => { measureQuality().catch(() => {}); }, 2000);
  }

  start();
})();
