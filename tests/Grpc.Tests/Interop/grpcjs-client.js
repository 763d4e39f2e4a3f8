// grpc-js client scenarios against a server implementing grpctest.v1.Echo (and supplyoracle.v1 for "gossip").
// Usage: node grpcjs-client.js HOST:PORT SCENARIO   → prints one JSON line describing what grpc-js observed.
'use strict';
const { grpc, loadEcho, loadSupplyOracle, pattern } = require('./common');
const [target, scenario] = process.argv.slice(2);
const echo = loadEcho();
const fs = require('fs');
// TLS_CA (PEM of the trusted server certificate) switches to TLS; TLS_KEY and TLS_CERT add a client certificate.
const credentials = process.env.TLS_CA
  ? grpc.credentials.createSsl(fs.readFileSync(process.env.TLS_CA),
    process.env.TLS_KEY ? fs.readFileSync(process.env.TLS_KEY) : null, process.env.TLS_CERT ? fs.readFileSync(process.env.TLS_CERT) : null)
  : grpc.credentials.createInsecure();
const client = new echo.Echo(target, credentials);
const hex = (b) => Buffer.from(b || []).toString('hex');
const status = (e) => ({ code: e.code, details: e.details, reason: (e.metadata && e.metadata.get('x-fail-reason')[0]) || null });
const deadline = (ms) => new Date(Date.now() + ms);

function unary(req, md, opts) {
  return new Promise((resolve) => {
    const call = client.unary(req, md || new grpc.Metadata(), opts || {}, (err, res) => resolve(err ? { error: status(err) } : { res, trailer: call.trailer }));
    call.on('status', (s) => { call.trailer = hex(s.metadata.get('x-echo-bin')[0]); });
  });
}

const scenarios = {
  async 'tls-unary'() {
    const r = await unary({ text: 'over tls' });
    return r.error ? r.error : { text: r.res.text };
  },
  async unary() {
    const md = new grpc.Metadata();
    md.set('x-echo', 'hello'); md.set('x-echo-bin', Buffer.from([0, 1, 2, 255]));
    const r = await unary({ text: 'hi', payload: Buffer.from('p') }, md);
    await new Promise((r2) => setTimeout(r2, 10));
    return { text: r.res.text, payload: r.res.payload.toString(), echoHeader: r.res.echoHeader, echoBinary: hex(r.res.echoBinary), hasDeadline: r.res.hasDeadline };
  },
  async 'unary-deadline-propagated'() {
    const r = await unary({ text: 'd' }, null, { deadline: deadline(30000) });
    return { hasDeadline: r.res.hasDeadline };
  },
  async 'server-stream'() {
    const md = new grpc.Metadata(); md.set('x-echo-bin', Buffer.from([9])); md.set('x-echo', 'early');
    const call = client.serverStream({ text: 's', count: 5 }, md);
    const indexes = []; let trailer = null; let header = null;
    call.on('metadata', (h) => { header = h.get('x-echo-header')[0] || null; });
    call.on('data', (m) => indexes.push(m.index));
    return new Promise((resolve) => call.on('status', (s) => { trailer = hex(s.metadata.get('x-echo-bin')[0]); resolve({ indexes, code: s.code, trailer, header }); }));
  },
  async 'cancel-stream'() {
    const call = client.serverStream({ text: 'c', count: 1000000 });
    let received = 0;
    call.on('data', () => { received++; if (received === 10) call.cancel(); });
    const code = await new Promise((resolve) => call.on('error', (e) => resolve(e.code)));
    const after = await unary({ text: 'after cancel' });
    return { code, received, after: after.res.text };
  },
  async 'client-stream'() {
    return new Promise((resolve) => {
      const call = client.clientStream((err, res) => resolve(err ? { error: status(err) } : { text: res.text, index: res.index, bytes: Number(res.payload.readBigInt64LE()) }));
      for (const t of ['a', 'b', 'c']) call.write({ text: t, payload: Buffer.alloc(10) });
      call.end();
    });
  },
  async bidi() {
    const call = client.bidi();
    const texts = [];
    for (let i = 0; i < 10; i++) {
      call.write({ text: `m${i}` });
      texts.push(await new Promise((resolve) => call.once('data', (m) => resolve(m.text))));
    }
    call.end();
    const code = await new Promise((resolve) => call.on('status', (s) => resolve(s.code)));
    return { texts, code };
  },
  async error() {
    const r = await unary({ failCode: 9, failMessage: 'nope: 100% ünïcode' });
    return r.error;
  },
  async 'handler-throws'() {
    return (await unary({ text: 'throw' })).error;
  },
  async 'bidi-error'() {
    const call = client.bidi();
    call.on('data', () => {});
    call.write({ text: 'ok' });
    call.write({ failCode: 10, failMessage: 'conflict' });
    return new Promise((resolve) => call.on('error', (e) => resolve(status(e))));
  },
  async deadline() {
    const start = Date.now();
    const r = await unary({ delayMs: 5000 }, null, { deadline: deadline(200) });
    return { ...r.error, elapsedMs: Date.now() - start };
  },
  async large() {
    const size = 3 * 1024 * 1024;
    const r = await unary({ payload: pattern(size), responseSize: 0 });
    return { length: r.res.payload.length, equal: Buffer.compare(r.res.payload, pattern(size)) === 0 };
  },
  async 'large-response'() {
    const r = await unary({ responseSize: 3 * 1024 * 1024 });
    return { length: r.res.payload.length, equal: Buffer.compare(r.res.payload, pattern(3 * 1024 * 1024)) === 0 };
  },
  async 'too-large'() {
    // grpc-js's own send limit is unlimited by default; the server's 4 MiB receive limit must answer.
    return (await unary({ payload: Buffer.alloc(4 * 1024 * 1024 + 1) })).error;
  },
  async unimplemented() {
    return new Promise((resolve) => client.makeUnaryRequest('/grpctest.v1.Echo/Nope', (x) => x, (x) => x, Buffer.alloc(0),
      (err) => resolve(status(err))));
  },
  async gossip() {
    const so = loadSupplyOracle();
    const gossip = new so.Gossip(target, grpc.credentials.createInsecure());
    const statusClient = new so.Status(target, grpc.credentials.createInsecure());
    const batch = { round: '7', referenceBlock: '2100', referenceTime: '1700000000', referenceHash: Buffer.alloc(32, 1), observations: Buffer.alloc(120, 2), signature: Buffer.alloc(65, 3), reporter: Buffer.alloc(20, 4) };
    const submit = await new Promise((resolve, reject) => gossip.submit(batch, (e, r) => (e ? reject(e) : resolve(r))));
    const badSubmit = await new Promise((resolve, reject) => gossip.submit({ ...batch, signature: Buffer.alloc(64) }, (e, r) => (e ? reject(e) : resolve(r))));
    const relay = await new Promise((resolve, reject) => {
      const call = gossip.relay((e, r) => (e ? reject(e) : resolve(r)));
      call.write(batch); call.write(batch); call.write({ ...batch, round: '8' }); call.end();
    });
    const connect = await new Promise((resolve) => {
      const call = gossip.connect(); const kinds = [];
      call.on('data', (m) => { kinds.push(m.kind); if (kinds.length === 3) call.end(); });
      call.on('status', (s) => resolve({ kinds, code: s.code }));
      call.write({ observation: batch });
      call.write({ attestation: { round: '7', reportDigest: Buffer.alloc(32), signature: Buffer.alloc(65), reporter: Buffer.alloc(20) } });
    });
    const watch = await new Promise((resolve) => {
      const rounds = []; const call = statusClient.watch({});
      call.on('data', (u) => rounds.push(u.token.round));
      call.on('status', (s) => resolve({ rounds, code: s.code }));
    });
    const notFound = await new Promise((resolve) => statusClient.getTokenState({ token: Buffer.alloc(20) }, (e) => resolve(e.code)));
    return { submit: { accepted: submit.accepted, round: submit.round }, badSubmit: { accepted: badSubmit.accepted, reason: badSubmit.reason }, relay, connect, watch, notFound };
  },
};

const run = scenarios[scenario];
if (!run) { console.error(`unknown scenario ${scenario}`); process.exit(2); }
run().then((result) => { console.log(JSON.stringify(result)); process.exit(0); }, (e) => { console.error(e); process.exit(1); });
