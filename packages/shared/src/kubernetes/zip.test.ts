import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { crc32, zipStored } from './zip';

test('crc32 matches the published check value', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});

test('Python\'s zipfile (what AKS tooling reads zips with) reads every file back', () => {
  const zip = zipStored({ 'service.json': '{"kind":"Service"}', 'ünï.txt': 'ä\n' });
  const script = 'import base64,io,json,sys,zipfile\nz=zipfile.ZipFile(io.BytesIO(base64.b64decode(sys.argv[1])))\nassert z.testzip() is None\nprint(json.dumps({n: z.read(n).decode() for n in z.namelist()}))';
  const read = JSON.parse(execFileSync('python3', ['-c', script, zip.toString('base64')], { encoding: 'utf8' })) as Record<string, string>;
  assert.deepEqual(read, { 'service.json': '{"kind":"Service"}', 'ünï.txt': 'ä\n' });
});
