// grpc-js load harness for ./bench.sh grpc: the same load as GrpcBenchmark's own client (concurrent Gossip/Submit
// calls, then concurrent Status/Watch streams), from a separate node process.
// Usage: node grpcjs-load.js PROTO_ROOT HOST:PORT SECONDS CONCURRENCY STREAMS → prints {"unary":calls/s,"streamed":msgs/s}.
'use strict';
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const [root, target, seconds, concurrency, streams] = process.argv.slice(2);
const def = protoLoader.loadSync(['supplyoracle/v1/gossip.proto', 'supplyoracle/v1/status.proto'],
  { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [root] });
const so = grpc.loadPackageDefinition(def).supplyoracle.v1;
const gossip = new so.Gossip(target, grpc.credentials.createInsecure());
const status = new so.Status(target, grpc.credentials.createInsecure());
const batch = { round: '7', referenceBlock: '2100', referenceTime: '1700000000', referenceHash: Buffer.alloc(32), observations: Buffer.alloc(240), signature: Buffer.alloc(65), reporter: Buffer.alloc(20) };

function unaryLoad(ms) {
  let calls = 0; const end = Date.now() + ms;
  const worker = () => new Promise((resolve, reject) => {
    const next = () => {
      if (Date.now() >= end) return resolve();
      gossip.submit(batch, (err) => { if (err) return reject(err); calls++; next(); });
    };
    next();
  });
  return Promise.all(Array.from({ length: Number(concurrency) }, worker)).then(() => calls);
}

function streamLoad(ms) {
  let messages = 0;
  const one = () => new Promise((resolve) => {
    const call = status.watch({});
    call.on('data', () => { messages++; });
    call.on('error', () => resolve());
    setTimeout(() => call.cancel(), ms);
  });
  return Promise.all(Array.from({ length: Number(streams) }, one)).then(() => messages);
}

(async () => {
  const ms = Number(seconds) * 1000;
  await unaryLoad(1000); await streamLoad(1000); // warm-up
  const unary = (await unaryLoad(ms)) / Number(seconds);
  const streamed = (await streamLoad(ms)) / Number(seconds);
  console.log(JSON.stringify({ unary, streamed }));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
