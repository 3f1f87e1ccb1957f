// Compile-time checks of how steps read their inputs, checked by `pnpm typecheck` (this file never
// runs): each `@ts-expect-error` fails the typecheck if the line below it ever compiles.
import { defineStep } from './step';

const metadata = {
  id: 'typed-step',
  title: 'Typed step',
  description: 'Only for the compile-time checks below.',
  service: 'kubernetes',
  inputs: {
    zone: { type: 'string', required: true, description: 'A required string.' },
    ttl: { type: 'integer', default: '5', description: 'An integer with a default.' },
    mode: { type: 'choice', options: ['a', 'b'], default: 'a', description: 'A choice.' },
    note: { type: 'string', description: 'An optional string.' },
  },
  outputs: { ip: { description: 'An output.' } },
  task: { id: '00000000-0000-4000-8000-000000000000', instanceNameFormat: 'Typed' },
  branding: { icon: 'globe', color: 'blue' },
} as const;

export const typedStep = defineStep({
  metadata,
  settings(inputs) {
    const zone: string = inputs.zone;
    const ttl: number = inputs.ttl; // the default lives in the metadata: never undefined
    const mode: 'a' | 'b' = inputs.mode;
    const note: string | undefined = inputs.note;
    const cluster: string | undefined = inputs['cluster-name']; // a connection input of a Kubernetes step
    const timeout: number = inputs.timeout; // a common input
    // @ts-expect-error an input the step does not declare does not compile
    void inputs['cluster-nmae'];
    // @ts-expect-error an optional input may be undefined
    const notNote: string = inputs.note;
    return { zone, ttl, mode, note, cluster, timeout, notNote };
  },
  async plan(settings) {
    return { changes: [], state: { zone: settings.zone } };
  },
  async finish(_settings, _ctx, state) {
    const zone: string = state.zone; // finish gets the state plan returned, typed
    return { ip: zone };
  },
});
