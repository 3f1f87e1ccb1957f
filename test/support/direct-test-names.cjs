// Preloaded into a step process (NODE_OPTIONS=--require) to stand in for the runner's DNS: names
// under `.direct.test` resolve to 127.0.0.1, as an internal name resolves on a runner inside the
// network, so a test can reach the stand-in directly by a name that is not loopback. Every other
// name resolves as usual (`.test` names do not resolve at all: only the test proxy knows them).
const dns = require('node:dns');

const lookup = dns.lookup;
dns.lookup = function directTestNames(hostname, options, callback) {
  if (typeof hostname === 'string' && /\.direct\.test$/i.test(hostname)) {
    const done = typeof options === 'function' ? options : callback;
    const all = typeof options === 'object' && options !== null && options.all;
    process.nextTick(() => (all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4)));
    return {};
  }
  return lookup.apply(this, arguments);
};
