// Airlock review console: sign decisions in the browser with the reviewer's own key.
//
// The key file (PKCS#8 PEM, encrypted with PBES2 = PBKDF2-HMAC-SHA256 + AES-CBC as `airlock
// keygen` writes it, or unencrypted) is decrypted here with WebCrypto, imported as a
// NON-EXTRACTABLE CryptoKey (ECDSA P-256/P-384 or Ed25519) and kept in IndexedDB for this
// session only (cleared at logout). The statement is an in-toto Statement in a DSSE envelope,
// signed over PAE(payloadType, payload) exactly as airlock.provenance.dsse does; ECDSA output
// (IEEE P1363 r||s) is re-encoded as DER, the form the server verifies. No text from the page is
// ever inserted as HTML: results are set with textContent.
"use strict";

(function () {
  const DB = "airlock-console";
  const STORE = "keys";
  const PAYLOAD_TYPE = "application/vnd.in-toto+json";
  const enc = new TextEncoder();

  // -- small helpers ---------------------------------------------------------------------
  function $(id) { return document.getElementById(id); }
  function csrf() {
    const m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }
  function b64(bytes) {
    let s = "";
    const a = new Uint8Array(bytes);
    for (let i = 0; i < a.length; i += 0x8000) s += String.fromCharCode.apply(null, a.subarray(i, i + 0x8000));
    return btoa(s);
  }
  function unb64(text) {
    const s = atob(text);
    const a = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
    return a;
  }
  function hex(bytes) {
    return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function concat(...parts) {
    const n = parts.reduce((k, p) => k + p.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  }

  // -- DER ----------------------------------------------------------------------------------
  function derRead(buf, pos) {
    const tag = buf[pos];
    let len = buf[pos + 1];
    let hdr = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n < 1 || n > 3) throw new Error("unsupported DER length");
      len = 0;
      for (let i = 0; i < n; i++) len = (len << 8) | buf[pos + 2 + i];
      hdr = 2 + n;
    }
    if (pos + hdr + len > buf.length) throw new Error("truncated DER");
    return { tag, start: pos + hdr, end: pos + hdr + len, next: pos + hdr + len };
  }
  function derChildren(buf, node) {
    const out = [];
    let p = node.start;
    while (p < node.end) { const c = derRead(buf, p); out.push(c); p = c.next; }
    return out;
  }
  function derLen(n) {
    if (n < 0x80) return Uint8Array.of(n);
    if (n < 0x100) return Uint8Array.of(0x81, n);
    return Uint8Array.of(0x82, n >> 8, n & 0xff);
  }
  function der(tag, body) { return concat(Uint8Array.of(tag), derLen(body.length), body); }
  function oid(buf, node) { return hex(buf.subarray(node.start, node.end)); }

  const OID = {
    pbes2: "2a864886f70d01050d",
    pbkdf2: "2a864886f70d01050c",
    hmacSha256: "2a864886f70d0209",
    hmacSha1: "2a864886f70d0207",
    aes128cbc: "608648016503040102",
    aes192cbc: "608648016503040116",
    aes256cbc: "60864801650304012a",
    ecPublicKey: "2a8648ce3d0201",
    p256: "2a8648ce3d030107",
    p384: "2b81040022",
    ed25519: "2b6570",
  };

  function pemBody(text) {
    const m = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
    if (!m) throw new Error("not a PEM file");
    return { label: m[1], der: unb64(m[2].replace(/[^A-Za-z0-9+/=]/g, "")) };
  }

  // EncryptedPrivateKeyInfo (PBES2: PBKDF2 + AES-CBC) -> PKCS#8 PrivateKeyInfo bytes.
  async function decryptPkcs8(buf, passphrase) {
    const top = derChildren(buf, derRead(buf, 0));
    const alg = derChildren(buf, top[0]);
    if (oid(buf, alg[0]) !== OID.pbes2) throw new Error("key encryption is not PBES2");
    const params = derChildren(buf, alg[1]);
    const kdf = derChildren(buf, params[0]);
    if (oid(buf, kdf[0]) !== OID.pbkdf2) throw new Error("key derivation is not PBKDF2");
    const kdfp = derChildren(buf, kdf[1]);
    const salt = buf.slice(kdfp[0].start, kdfp[0].end);
    let iterations = 0;
    for (let i = kdfp[1].start; i < kdfp[1].end; i++) iterations = iterations * 256 + buf[i];
    let hash = "SHA-1";
    let keyLen = 0;
    for (const extra of kdfp.slice(2)) {
      if (extra.tag === 0x02) { for (let i = extra.start; i < extra.end; i++) keyLen = keyLen * 256 + buf[i]; }
      if (extra.tag === 0x30) {
        const prf = oid(buf, derChildren(buf, extra)[0]);
        if (prf === OID.hmacSha256) hash = "SHA-256";
        else if (prf !== OID.hmacSha1) throw new Error("unsupported PBKDF2 hash");
      }
    }
    const cipher = derChildren(buf, params[1]);
    const cipherOid = oid(buf, cipher[0]);
    const bits = { [OID.aes128cbc]: 128, [OID.aes192cbc]: 192, [OID.aes256cbc]: 256 }[cipherOid];
    if (!bits) throw new Error("unsupported key cipher (need AES-CBC)");
    const iv = buf.slice(cipher[1].start, cipher[1].end);
    const data = buf.slice(top[1].start, top[1].end);
    const base = await crypto.subtle.importKey("raw", enc.encode(passphrase), "PBKDF2", false, ["deriveKey"]);
    const aes = await crypto.subtle.deriveKey(
      { name: "PBKDF2", salt, iterations, hash }, base,
      { name: "AES-CBC", length: keyLen ? keyLen * 8 : bits }, false, ["decrypt"]);
    try {
      return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-CBC", iv }, aes, data));
    } catch (e) {
      throw new Error("wrong passphrase (or a damaged key file)");
    }
  }

  // PrivateKeyInfo -> { algorithm params for WebCrypto }
  function keyAlgorithm(pkcs8) {
    const top = derChildren(pkcs8, derRead(pkcs8, 0));
    const alg = derChildren(pkcs8, top[1]);
    const algOid = oid(pkcs8, alg[0]);
    if (algOid === OID.ed25519) return { name: "Ed25519" };
    if (algOid === OID.ecPublicKey) {
      const curve = oid(pkcs8, alg[1]);
      if (curve === OID.p256) return { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256", size: 32 };
      if (curve === OID.p384) return { name: "ECDSA", namedCurve: "P-384", hash: "SHA-384", size: 48 };
      throw new Error("unsupported curve (P-256, P-384 or Ed25519)");
    }
    throw new Error("unsupported key type (ECDSA P-256/P-384 or Ed25519)");
  }

  function b64urlToBytes(s) { return unb64(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4)); }

  // The OMS key hint: sha256 of the public key's PEM (SubjectPublicKeyInfo, as cryptography writes it).
  async function keyHint(jwk, alg) {
    let spki;
    if (alg.name === "Ed25519") {
      spki = der(0x30, concat(der(0x30, der(0x06, unb64("K2Vw"))), der(0x03, concat(Uint8Array.of(0), b64urlToBytes(jwk.x)))));
    } else {
      const curveOid = alg.namedCurve === "P-256" ? "KoZIzj0DAQc=" : "K4EEACI=";
      const point = concat(Uint8Array.of(4), b64urlToBytes(jwk.x), b64urlToBytes(jwk.y));
      spki = der(0x30, concat(der(0x30, concat(der(0x06, unb64("KoZIzj0CAQ==")), der(0x06, unb64(curveOid)))),
        der(0x03, concat(Uint8Array.of(0), point))));
    }
    const body = b64(spki).replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
    const pem = "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    return hex(await crypto.subtle.digest("SHA-256", enc.encode(pem)));
  }

  async function importKey(pemText, passphrase) {
    const { label, der: raw } = pemBody(pemText);
    let pkcs8;
    if (label === "ENCRYPTED PRIVATE KEY") pkcs8 = await decryptPkcs8(raw, passphrase);
    else if (label === "PRIVATE KEY") pkcs8 = raw;
    else throw new Error("need a PKCS#8 private key (BEGIN PRIVATE KEY or BEGIN ENCRYPTED PRIVATE KEY)");
    const alg = keyAlgorithm(pkcs8);
    const params = alg.name === "Ed25519" ? { name: "Ed25519" } : { name: "ECDSA", namedCurve: alg.namedCurve };
    // The public half only: a transient extractable import whose JWK gives the public point,
    // then the signing key is imported again, non-extractable, and the bytes are wiped.
    const probe = await crypto.subtle.importKey("pkcs8", pkcs8, params, true, ["sign"]);
    const jwk = await crypto.subtle.exportKey("jwk", probe);
    const hint = await keyHint(jwk, alg);
    for (const k of Object.keys(jwk)) delete jwk[k];
    const key = await crypto.subtle.importKey("pkcs8", pkcs8, params, false, ["sign"]);
    pkcs8.fill(0);
    return { key, hint, alg };
  }

  // -- IndexedDB: the session's key ---------------------------------------------------------
  function db() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  async function kv(mode, fn) {
    const d = await db();
    return new Promise((resolve, reject) => {
      const tx = d.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req ? req.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  }
  const saveKey = (entry) => kv("readwrite", (s) => s.put(entry, "signer"));
  const loadKey = () => kv("readonly", (s) => s.get("signer"));
  const forgetKey = () => kv("readwrite", (s) => s.delete("signer"));

  // -- DSSE -----------------------------------------------------------------------------------
  function pae(type, payload) {
    const t = enc.encode(type);
    return concat(enc.encode("DSSEv1 " + t.length + " "), t, enc.encode(" " + payload.length + " "), payload);
  }
  function derInt(bytes) {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    let v = bytes.subarray(i);
    if (v[0] & 0x80) v = concat(Uint8Array.of(0), v);
    return der(0x02, v);
  }
  function p1363ToDer(sig, size) {
    const s = new Uint8Array(sig);
    return der(0x30, concat(derInt(s.subarray(0, size)), derInt(s.subarray(size, 2 * size))));
  }
  async function signEnvelope(entry, payload) {
    const message = pae(PAYLOAD_TYPE, payload);
    let sig;
    if (entry.alg.name === "Ed25519") {
      sig = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, entry.key, message));
    } else {
      const raw = await crypto.subtle.sign({ name: "ECDSA", hash: entry.alg.hash }, entry.key, message);
      sig = p1363ToDer(raw, entry.alg.size);
    }
    return { payload: b64(payload), payloadType: PAYLOAD_TYPE, signatures: [{ sig: b64(sig), keyid: entry.hint }] };
  }
  function statement(box, decision, reason) {
    const nonce = hex(crypto.getRandomValues(new Uint8Array(16)));
    const when = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const st = {
      _type: "https://in-toto.io/Statement/v1",
      predicate: {
        decision, nonce, previousState: box.dataset.state, reason, record: box.dataset.record, timestamp: when,
      },
      predicateType: "https://airlock.dev/registry/decision/v1",
      subject: [{ digest: { sha256: box.dataset.digest }, name: box.dataset.model }],
    };
    return enc.encode(JSON.stringify(st));
  }

  // -- the page -------------------------------------------------------------------------------
  async function showKey() {
    const status = $("key-status");
    if (!status) return;
    try {
      const entry = await loadKey();
      status.textContent = entry
        ? "Signing key loaded: " + entry.alg.name + (entry.alg.namedCurve ? " " + entry.alg.namedCurve : "") +
          ", key id " + entry.hint.slice(0, 16) + " (non-extractable: " + String(!entry.key.extractable) + ")"
        : "No signing key loaded in this session.";
      status.dataset.hint = entry ? entry.hint : "";
    } catch (e) {
      status.textContent = "Key storage unavailable: " + e.message;
    }
  }

  function wireDecide(box) {
    const out = $("sign-result");
    $("key-load").addEventListener("click", async () => {
      const file = $("key-file").files[0];
      if (!file) { out.textContent = "Choose your private key file first."; return; }
      try {
        const entry = await importKey(await file.text(), $("key-pass").value);
        await saveKey(entry);
        $("key-pass").value = "";
        $("key-file").value = "";
        out.textContent = "";
      } catch (e) {
        out.textContent = "Could not load the key: " + e.message;
      }
      await showKey();
    });
    $("key-forget").addEventListener("click", async () => { await forgetKey(); await showKey(); });
    for (const button of box.querySelectorAll("button.sign")) {
      button.addEventListener("click", async () => {
        const entry = await loadKey();
        if (!entry) { out.textContent = "Load your signing key first."; return; }
        const decision = button.dataset.decision;
        try {
          const envelope = await signEnvelope(entry, statement(box, decision, $("reason").value));
          const resp = await fetch(box.dataset.action, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf() },
            body: JSON.stringify({ envelope }),
          });
          const body = await resp.json();
          if (!resp.ok) { out.textContent = "Refused (" + resp.status + "): " + body.error.message; return; }
          out.textContent = decision + " recorded: version is " + body.state +
            (body.pending && body.pending.length ? "; still missing: " + body.pending.join("; ") : "");
          out.dataset.done = "1";
          setTimeout(() => window.location.reload(), 600);
        } catch (e) {
          out.textContent = "Signing failed: " + e.message;
        }
      });
    }
    showKey();
  }

  // For the browser tests: the DER re-encoding, checked against Python's encoder on edge cases.
  window.AirlockConsole = Object.freeze({
    p1363ToDerHex: (sigHex, size) =>
      hex(p1363ToDer(Uint8Array.from(sigHex.match(/../g).map((h) => parseInt(h, 16))), size)),
  });

  document.addEventListener("DOMContentLoaded", () => {
    const box = $("decide");
    if (box) wireDecide(box);
    if ($("login-form")) forgetKey().catch(() => {});  // a new login starts without a key
  });
})();
