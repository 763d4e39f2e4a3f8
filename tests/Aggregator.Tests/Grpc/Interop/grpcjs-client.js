// grpc-js client scenarios against the aggregator's real services (supplyoracle.v1 Gossip and Status, grpc.reflection).
// Usage: node grpcjs-client.js HOST:PORT SCENARIO  → prints one JSON line describing what grpc-js observed.
// Environment: PROTO_ROOT (proto/), BATCHES (JSON array of base64 serialized ObservationBatch messages signed by the
// test), TLS_CA / TLS_CERT / TLS_KEY (PEM files: TLS, and mutual TLS with a client certificate).
'use strict';
const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [target, scenario] = process.argv.slice(2);
const loadOptions = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true };
const so = grpc.loadPackageDefinition(protoLoader.loadSync(['supplyoracle/v1/gossip.proto', 'supplyoracle/v1/status.proto'],
  { ...loadOptions, includeDirs: [process.env.PROTO_ROOT] })).supplyoracle.v1;
const credentials = process.env.TLS_CA
  ? grpc.credentials.createSsl(fs.readFileSync(process.env.TLS_CA),
    process.env.TLS_KEY ? fs.readFileSync(process.env.TLS_KEY) : null, process.env.TLS_CERT ? fs.readFileSync(process.env.TLS_CERT) : null)
  : grpc.credentials.createInsecure();
// gzip: grpc.default_compression_algorithm 2 compresses every request message (grpc-js sends grpc-encoding: gzip).
const channelOptions = scenario === 'gzip' ? { 'grpc.default_compression_algorithm': 2 } : {};
const gossip = new so.Gossip(target, credentials, channelOptions);
const status = new so.Status(target, credentials, channelOptions);
const batches = JSON.parse(process.env.BATCHES || '[]').map((b) => Buffer.from(b, 'base64'));
const raw = (x) => x; // requests that are already serialized ObservationBatch bytes
const failure = (e) => ({ code: e.code, details: e.details });
const deadline = (ms) => new Date(Date.now() + ms);

// Gossip.Submit with a pre-serialized request; the response is decoded with the loaded Acknowledgement type.
function submitRaw(bytes, metadata, options) {
  const method = so.Gossip.service.Submit;
  return new Promise((resolve) => gossip.makeUnaryRequest(method.path, raw, method.responseDeserialize, bytes,
    metadata || new grpc.Metadata(), options || {}, (e, r) => resolve(e ? { error: failure(e) } : { ack: r })));
}

function getTokenState(token, options) {
  return new Promise((resolve) => status.getTokenState({ token }, new grpc.Metadata(), options || {},
    (e, r) => resolve(e ? { error: failure(e) } : { state: r })));
}

const scenarios = {
  async unary() {
    // Text and -bin metadata ride along (grpc-js base64-encodes -bin values; the server must decode both kinds).
    const md = new grpc.Metadata();
    md.set('x-reporter-note', 'hello');
    md.set('x-reporter-trace-bin', Buffer.from([0, 1, 2, 255]));
    const ok = await submitRaw(batches[0], md);
    const again = await submitRaw(batches[0]);
    const tampered = Buffer.from(batches[0]);
    tampered[tampered.length - 30] ^= 0xff; // inside the reporter/signature bytes at the end of the message
    const bad = await submitRaw(tampered);
    return { ok: ok.ack, again: again.ack, bad: bad.ack || bad.error };
  },
  async 'server-stream'() {
    // Status.Watch: headers first, then the round the batch below opens, then cancel.
    const call = status.watch({});
    const updates = [];
    await new Promise((resolve) => call.once('metadata', resolve));
    const submitted = await submitRaw(batches[0]);
    const code = await new Promise((resolve) => {
      call.on('data', (u) => { updates.push({ kind: u.kind, round: u.round ? u.round.round : null, phase: u.round ? u.round.phase : null }); call.cancel(); });
      call.on('error', (e) => resolve(e.code));
      call.on('status', (s) => resolve(s.code));
    });
    return { submitted: submitted.ack.accepted, updates, code };
  },
  async 'client-stream'() {
    return new Promise((resolve) => {
      const method = so.Gossip.service.Relay;
      const call = gossip.makeClientStreamRequest(method.path, raw, method.responseDeserialize, new grpc.Metadata(), {},
        (e, r) => resolve(e ? { error: failure(e) } : r));
      const tampered = Buffer.from(batches[0]);
      tampered[tampered.length - 30] ^= 0xff;
      call.write(batches[0]); call.write(batches[0]); call.write(tampered); call.end();
    });
  },
  async duplex() {
    const method = so.Gossip.service.Connect;
    const call = gossip.makeBidiStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, new grpc.Metadata(), {});
    const acks = [];
    call.on('data', (m) => { acks.push({ kind: m.kind, accepted: m.acknowledgement.accepted, reason: m.acknowledgement.reason }); if (acks.length === 2) call.end(); });
    // The observation goes up inside a ReporterMessage, built from the decoded batch (Submit's request type).
    const batch = so.Gossip.service.Submit.requestDeserialize(batches[0]);
    call.write({ observation: batch });
    call.write({ attestation: { round: batch.round, reportDigest: Buffer.alloc(32), signature: Buffer.alloc(65), reporter: Buffer.alloc(20), proposalId: 'nope' } });
    const code = await new Promise((resolve) => call.on('status', (s) => resolve(s.code)));
    return { acks, code };
  },
  async errors() {
    const malformed = await getTokenState(Buffer.alloc(19));
    const unknown = await getTokenState(Buffer.alloc(20, 7));
    const unimplemented = await new Promise((resolve) => gossip.makeUnaryRequest('/supplyoracle.v1.Gossip/Nope', raw, raw, Buffer.alloc(0),
      (e) => resolve(failure(e))));
    return { malformed: malformed.error, unknown: unknown.error, unimplemented };
  },
  async deadline() {
    const start = Date.now();
    const call = status.watch({}, new grpc.Metadata(), { deadline: deadline(300) });
    call.on('data', () => {});
    const code = await new Promise((resolve) => call.on('error', (e) => resolve(e.code)));
    const after = await getTokenState(Buffer.alloc(20, 7));
    return { code, elapsedMs: Date.now() - start, after: after.error.code };
  },
  async large() {
    // 3 MiB of observations: under the 4 MiB limit, so the aggregator reads and answers it (as a malformed batch).
    const batch = so.Gossip.service.Submit.requestDeserialize(batches[0]);
    const big = so.Gossip.service.Submit.requestSerialize({ ...batch, observations: Buffer.alloc(3 * 1024 * 1024, 1) });
    const ok = await submitRaw(big);
    const tooLarge = await submitRaw(Buffer.concat([big, Buffer.from(so.Gossip.service.Submit.requestSerialize({ observations: Buffer.alloc(1024 * 1024 + 10) }))]));
    const after = await submitRaw(batches[0]);
    return { size: big.length, ok: ok.ack ? { accepted: ok.ack.accepted, reason: ok.ack.reason } : ok.error, tooLarge: tooLarge.error, after: after.ack ? after.ack.reason : after.error };
  },
  async gzip() {
    // Requests go up gzip-compressed; the aggregator answers compressed too (it offers gzip and grpc-js accepts it).
    const r = await submitRaw(batches[0]);
    const s = await getTokenState(Buffer.alloc(19));
    return { ack: r.ack ? { accepted: r.ack.accepted, reason: r.ack.reason, round: r.ack.round } : r.error, invalid: s.error };
  },
  async 'tls-unary'() {
    const r = await getTokenState(Buffer.alloc(20, 7));
    return r.error;
  },
  async reflection() {
    const reflectionRoot = path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');
    const def = protoLoader.loadSync('grpc/reflection/v1/reflection.proto', { ...loadOptions, includeDirs: [reflectionRoot] });
    const Reflection = grpc.loadPackageDefinition(def).grpc.reflection.v1.ServerReflection;
    const client = new Reflection(target, credentials);
    const ask = (request) => new Promise((resolve, reject) => {
      const call = client.serverReflectionInfo();
      call.on('data', (m) => { resolve(m); call.end(); });
      call.on('error', reject);
      call.write(request);
    });
    const list = await ask({ listServices: '' });
    const file = await ask({ fileContainingSymbol: 'supplyoracle.v1.Gossip' });
    return {
      services: list.listServicesResponse.service.map((s) => s.name).sort(),
      gossipFiles: file.fileDescriptorResponse ? file.fileDescriptorResponse.fileDescriptorProto.length : 0,
    };
  },
};

const run = scenarios[scenario];
if (!run) { console.error(`unknown scenario ${scenario}`); process.exit(2); }
run().then((result) => { console.log(JSON.stringify(result)); process.exit(0); }, (e) => { console.error(e); process.exit(1); });
