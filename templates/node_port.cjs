'use strict';
// Loaded by `agentcore dev` before a Node agent (node --require). The runtime contract has an
// agent listen on 0.0.0.0 at its protocol's port (8080, 8000 or 9000); dev runs one instance
// per session, each on a private loopback port. The first server that asks for the contract's
// port gets AGENTCORE_DEV_PORT on 127.0.0.1 instead; every other listen is left alone.
const net = require('node:net');

const contract = Number(process.env.AGENTCORE_DEV_CONTRACT_PORT);
const port = Number(process.env.AGENTCORE_DEV_PORT);

if (contract > 0 && port > 0) {
  const listen = net.Server.prototype.listen;
  let moved = false;
  net.Server.prototype.listen = function agentcoreDevListen(...args) {
    const first = args[0];
    if (!moved && first !== null && typeof first === 'object' && Number(first.port) === contract) {
      moved = true;
      args[0] = { ...first, port, host: '127.0.0.1' };
    } else if (!moved && (typeof first === 'number' || typeof first === 'string') && Number(first) === contract) {
      moved = true;
      args[0] = port;
      if (typeof args[1] === 'string') {
        args[1] = '127.0.0.1';
      } else {
        args.splice(1, 0, '127.0.0.1');
      }
    }
    return listen.apply(this, args);
  };
}
