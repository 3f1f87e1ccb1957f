import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appliedAnnotationKeys } from './managed-fields';

test('only annotations our manager applied (server-side apply) count as ours', () => {
  const metadata = {
    managedFields: [
      { manager: 'private-wire', operation: 'Apply', fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:a/internal': {}, 'f:a/subnet': {} } } } },
      { manager: 'private-wire', operation: 'Update', fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:a/other': {} } } } },
      { manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:team/owner': {} } } } },
    ],
  };
  assert.deepEqual([...appliedAnnotationKeys(metadata)].sort(), ['a/internal', 'a/subnet']);
  assert.deepEqual([...appliedAnnotationKeys(undefined)], []);
});
