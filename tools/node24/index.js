// Path of the Node 24 binary installed by the `node` npm package.
const path = require('node:path');
module.exports = path.join(path.dirname(require.resolve('node/package.json')), 'bin', 'node');
