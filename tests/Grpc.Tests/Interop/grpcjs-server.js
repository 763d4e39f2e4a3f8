// grpc-js implementation of grpctest.v1.Echo (same behaviour as TestServices/EchoService.cs).
// Usage: node grpcjs-server.js PORT   → prints "listening PORT" once bound on 127.0.0.1 (h2c).
'use strict';
const { grpc, loadEcho, pattern } = require('./common');
const echo = loadEcho();

function fail(req) {
  if (!req.failCode) return null;
  const metadata = new grpc.Metadata();
  metadata.set('x-fail-reason', 'requested');
  return { code: req.failCode, details: req.failMessage, metadata };
}

function trailers(call) {
  const md = new grpc.Metadata();
  const bin = call.metadata.get('x-echo-bin');
  if (bin.length > 0) md.set('x-echo-bin', bin[0]);
  return md;
}

function response(req, call, index) {
  const bin = call.metadata.get('x-echo-bin');
  return {
    text: req.text,
    index,
    payload: req.responseSize > 0 ? pattern(req.responseSize) : req.payload,
    echoHeader: (call.metadata.get('x-echo')[0] || '').toString(),
    echoBinary: bin.length > 0 ? bin[0] : Buffer.alloc(0),
    hasDeadline: call.getDeadline() !== Infinity,
  };
}

function delay(ms, call) {
  return new Promise((resolve, reject) => {
    if (!ms) return resolve();
    const t = setTimeout(resolve, ms);
    call.on('cancelled', () => { clearTimeout(t); reject(new Error('cancelled')); });
  });
}

const impl = {
  unary(call, callback) {
    delay(call.request.delayMs, call).then(() => {
      const err = fail(call.request);
      if (err) { err.metadata.merge(trailers(call)); return callback(err); }
      callback(null, response(call.request, call, 0), trailers(call));
    }, () => {});
  },
  serverStream(call) {
    delay(call.request.delayMs, call).then(() => {
      const err = fail(call.request);
      if (err) return call.emit('error', err);
      const echo = call.metadata.get('x-echo');
      if (echo.length > 0) { const md = new grpc.Metadata(); md.set('x-echo-header', echo[0]); call.sendMetadata(md); }
      for (let i = 0; i < call.request.count; i++) call.write(response(call.request, call, i));
      call.end(trailers(call));
    }, () => {});
  },
  clientStream(call, callback) {
    const texts = []; let bytes = 0n; let failed = false;
    call.on('data', (req) => {
      if (failed) return;
      const err = fail(req);
      if (err) { failed = true; return callback(err); }
      texts.push(req.text); bytes += BigInt(req.payload.length);
    });
    call.on('end', () => {
      if (failed) return;
      const b = Buffer.alloc(8); b.writeBigInt64LE(bytes);
      callback(null, { text: texts.join(','), index: texts.length, payload: b });
    });
  },
  bidi(call) {
    let i = 0; let failed = false;
    call.on('data', (req) => {
      if (failed) return;
      const err = fail(req);
      if (err) { failed = true; return call.emit('error', err); }
      call.write(response(req, call, i++));
    });
    call.on('end', () => { if (!failed) call.end(trailers(call)); });
  },
};

const server = new grpc.Server();
server.addService(echo.Echo.service, impl);
server.bindAsync(`127.0.0.1:${process.argv[2] || 0}`, grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) { console.error(err); process.exit(1); }
  console.log(`listening ${port}`);
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
