import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePorts, parseSelector } from './ports';

test('ports: port[:targetPort][/protocol], named so several may coexist', () => {
  assert.deepEqual(parsePorts(['80:8080/TCP', '443:https', '53/udp'], 'ports'), [
    { name: 'tcp-80', port: 80, targetPort: 8080, protocol: 'TCP' },
    { name: 'tcp-443', port: 443, targetPort: 'https', protocol: 'TCP' },
    { name: 'udp-53', port: 53, targetPort: 53, protocol: 'UDP' },
  ]);
  // The same port on two protocols is two ports.
  assert.equal(parsePorts(['53/TCP', '53/UDP'], 'ports').length, 2);
});

test('ports: what the API server would refuse is refused here, naming the entry', () => {
  const bad: [string[], RegExp][] = [
    [['http'], /'http', which is not a port/],
    [['0'], /port 0 is outside 1–65535/],
    [['80:70000'], /target port 70000 is outside 1–65535/],
    [['80:Web_Port'], /target port 'Web_Port' is neither a number nor a container port name/],
    [['80:a-very-long-port-name'], /neither a number nor a container port name/],
    [['80/HTTP'], /protocol 'HTTP' is not TCP, UDP or SCTP/],
    [['80', '80/tcp'], /lists port 80\/TCP twice/],
  ];
  for (const [entries, message] of bad) assert.throws(() => parsePorts(entries, 'ports'), message, entries.join(','));
});

test('selector: key=value labels with the API server rules, each key once', () => {
  assert.deepEqual(parseSelector(['app=backend', 'app.kubernetes.io/part-of=shop'], 'selector'), { app: 'backend', 'app.kubernetes.io/part-of': 'shop' });
  assert.deepEqual(parseSelector(['tier='], 'selector'), { tier: '' });
  assert.throws(() => parseSelector(['app'], 'selector'), /'app', which is not a `key=value` label/);
  assert.throws(() => parseSelector(['app=-x'], 'selector'), /'-x' is not a valid label value/);
  assert.throws(() => parseSelector(['Bad Key=x'], 'selector'), /not a `key=value` label/);
  assert.throws(() => parseSelector(['app=a', 'app=b'], 'selector'), /gives label 'app' twice \('app=a' and 'app=b'\)/);
});
