// Shared by the grpc-js interop scripts: loads the protos with @grpc/proto-loader (NODE_PATH=deploy/node_modules).
'use strict';
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const options = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true };

function loadEcho() {
  const def = protoLoader.loadSync('grpctest/v1/echo.proto', { ...options, includeDirs: [path.join(__dirname, '..', 'Protos')] });
  return grpc.loadPackageDefinition(def).grpctest.v1;
}

function loadSupplyOracle() {
  const root = process.env.PROTO_ROOT;
  const def = protoLoader.loadSync(['supplyoracle/v1/gossip.proto', 'supplyoracle/v1/status.proto'], { ...options, includeDirs: [root] });
  return grpc.loadPackageDefinition(def).supplyoracle.v1;
}

// The payload pattern both servers use: byte i is i % 251.
function pattern(size) {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = i % 251;
  return b;
}

module.exports = { grpc, loadEcho, loadSupplyOracle, pattern };
