/** The step functions of each model kind; the engine picks its kind's once, when it is built. */
import type { StepKind } from '../stepModels';
import { FusedSteps } from './fusedSteps';
import type { KindSteps } from './kindSteps';
import { ProjectedSteps } from './projectedSteps';
import { SplitSteps } from './splitSteps';
import { StatelessSteps } from './statelessSteps';

/** One table per kind; `satisfies` makes a kind without steps a compile error. */
export const kindSteps = {
  split: new SplitSteps(),
  fused: new FusedSteps(),
  projected: new ProjectedSteps(),
  stateless: new StatelessSteps(),
} as const satisfies Record<StepKind, KindSteps>;

export type { KindSteps } from './kindSteps';
