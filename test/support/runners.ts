// The runner emulation lives with the scripts (pnpm demo and pnpm bench use it too).
export * from '../../scripts/lib/runners';
