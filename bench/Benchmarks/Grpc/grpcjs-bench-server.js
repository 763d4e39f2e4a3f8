// grpc-js server for ./bench.sh grpc: supplyoracle.v1.Gossip/Submit (unary) and supplyoracle.v1.Status/Watch
// (server streaming, as fast as flow control allows until the client cancels), the same behaviour as
// BenchServices.cs. Usage: node grpcjs-bench-server.js PROTO_ROOT → prints "listening PORT".
'use strict';
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const def = protoLoader.loadSync(['supplyoracle/v1/gossip.proto', 'supplyoracle/v1/status.proto'],
  { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [process.argv[2]] });
const so = grpc.loadPackageDefinition(def).supplyoracle.v1;
const token = Buffer.from(Array.from({ length: 20 }, (_, i) => i + 1));
const unimplemented = (call, cb) => cb({ code: grpc.status.UNIMPLEMENTED, details: 'not in the benchmark' });

const server = new grpc.Server();
server.addService(so.Gossip.service, {
  submit(call, cb) { cb(null, { accepted: true, round: call.request.round }); },
  relay: unimplemented,
  connect(call) { call.emit('error', { code: grpc.status.UNIMPLEMENTED }); },
});
server.addService(so.Status.service, {
  getTokenState: unimplemented, listTokenStates: unimplemented, listRounds: unimplemented, listReporters: unimplemented,
  watch(call) {
    let round = 0; let done = false;
    call.on('cancelled', () => { done = true; });
    const pump = () => {
      while (!done) {
        round++;
        const ok = call.write({ token: { token, factor: '500000000000000000', committedAt: String(1700000000 + round), round: String(round), circulating: Buffer.from([1, 0]) } });
        if (!ok) { call.once('drain', pump); return; }
      }
    };
    pump();
  },
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) { console.error(err); process.exit(1); }
  console.log(`listening ${port}`);
});
