import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import path from 'node:path';
import type { BundledStep } from './entry';

export type BundleJob =
  | {
      /** The step module (`steps/<id>/step.ts`, or a test fixture's), exporting `step`. */
      step: string;
      host: 'github' | 'azure-pipelines';
      outDir: string;
    }
  /** Every step in the GitHub bundle the actions share (scripts/lib/bundle.ts bundleGitHubSteps). */
  | { steps: readonly BundledStep[]; host: 'github'; outDir: string };

/** bundle-one.ts's arguments for a job. */
function bundleArgs(job: BundleJob): string[] {
  if ('steps' in job) return ['--github-steps', job.outDir, ...job.steps.map((s) => `${s.id}=${s.module}`)];
  return [job.step, job.host, job.outDir];
}

const describe = (job: BundleJob) => ('steps' in job ? `${job.steps.length} steps` : job.step);

/** Bundles entries in child processes, as many at once as there are cores (ncc is single-threaded). */
export async function bundleAll(jobs: BundleJob[], cwd: string): Promise<void> {
  const queue = [...jobs];
  const failures: string[] = [];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const started = Date.now();
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', path.join(__dirname, '..', 'bundle-one.ts'), ...bundleArgs(job)],
          { cwd, stdio: 'inherit' },
        );
        child.on('exit', resolve);
      });
      if (code === 0) console.log(`bundled ${describe(job)} for ${job.host} → ${job.outDir}/index.js (${Date.now() - started} ms)`);
      else failures.push(`${describe(job)} (${job.host})`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(cpus().length, jobs.length)) }, worker));
  if (failures.length > 0) throw new Error(`bundling failed for: ${failures.join(', ')}`);
}
