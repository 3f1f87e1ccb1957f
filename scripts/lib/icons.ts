// The extension's and the tasks' icons, drawn from the step metadata's branding colour: two nodes
// joined by a wire on a rounded square. Sizes: a task's icon.png is 32×32 beside its task.json
// (https://learn.microsoft.com/azure/devops/extend/develop/integrate-build-task, "the icon name is
// icon.png, its size is 32x32 pixels, it is in the same location as the task.json file"); the
// extension's is 128×128 (SchemaStore vss-extension.json `icons.default`: "128x128 pixels";
// https://learn.microsoft.com/azure/devops/extend/publish/overview: "an icon … at least 128x128").
import type { StepMetadata } from '../../packages/shared/src/metadata/types';
import { palettePng, type Rgba } from './png';

export const TASK_ICON_SIZE = 32;
export const EXTENSION_ICON_SIZE = 128;

/** The branding colours (GitHub's `branding.color` names) as RGB, close to the Fluent palette. */
const COLORS: Record<StepMetadata['branding']['color'], readonly [number, number, number]> = {
  white: [96, 94, 92],
  yellow: [193, 156, 0],
  blue: [0, 120, 212],
  green: [16, 124, 16],
  orange: [202, 80, 16],
  red: [209, 52, 56],
  purple: [135, 100, 184],
  'gray-dark': [50, 49, 48],
};

const TRANSPARENT = 0;
const BACKGROUND = 1;
const WIRE = 2;

/** Which of the three colours the pixel at (x, y) of a `size`×`size` icon is. */
function shade(size: number, x: number, y: number): number {
  const cx = x + 0.5;
  const cy = y + 0.5;
  const radius = size * 0.18;
  const nearX = Math.min(Math.max(cx, radius), size - radius);
  const nearY = Math.min(Math.max(cy, radius), size - radius);
  if ((cx - nearX) ** 2 + (cy - nearY) ** 2 > radius ** 2) return TRANSPARENT;
  const node = size * 0.13;
  const [left, right, middle] = [size * 0.28, size * 0.72, size / 2];
  if ((cx - left) ** 2 + (cy - middle) ** 2 <= node ** 2 || (cx - right) ** 2 + (cy - middle) ** 2 <= node ** 2) return WIRE;
  if (cx >= left && cx <= right && Math.abs(cy - middle) <= size * 0.045) return WIRE;
  return BACKGROUND;
}

export function iconPng(size: number, color: StepMetadata['branding']['color']): Buffer {
  const palette: Rgba[] = [[0, 0, 0, 0], [...COLORS[color], 255], [255, 255, 255, 255]];
  return palettePng(size, size, palette, (x, y) => shade(size, x, y));
}
