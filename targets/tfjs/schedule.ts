// Learning-rate schedules, per epoch, as the field uses them: constant; cosine annealing from
// the initial rate to `minLr` over the run (torch's CosineAnnealingLR); and reduce-on-plateau
// (torch's ReduceLROnPlateau, NequIP's and MACE's default): the rate is multiplied by `factor`
// when the monitored loss has not improved for `patience` epochs.

export type ScheduleName = 'constant' | 'cosine' | 'plateau';

export interface ScheduleOptions {
  readonly kind: ScheduleName;
  readonly lr: number;
  readonly epochs: number;
  /** cosine: the rate at the last epoch (default 0). */
  readonly minLr?: number;
  /** plateau: multiply by this (default 0.5) after `patience` (default 5) epochs without improvement. */
  readonly factor?: number;
  readonly patience?: number;
}

export class LrSchedule {
  private best = Infinity;
  private bad = 0;
  private current: number;

  constructor(private readonly options: ScheduleOptions) {
    this.current = options.lr;
  }

  /** The rate for epoch `epoch` (1-based), before that epoch runs. */
  rateFor(epoch: number): number {
    const o = this.options;
    if (o.kind === 'cosine') {
      const min = o.minLr ?? 0;
      const progress = o.epochs > 1 ? (epoch - 1) / (o.epochs - 1) : 0;
      this.current = min + 0.5 * (o.lr - min) * (1 + Math.cos(Math.PI * progress));
    }
    return this.current;
  }

  /** After an epoch: the monitored loss (validation when there is one, else training). */
  observe(loss: number): void {
    if (this.options.kind !== 'plateau') return;
    if (loss < this.best * (1 - 1e-4)) {
      this.best = loss;
      this.bad = 0;
    } else if (++this.bad > (this.options.patience ?? 5)) {
      this.current *= this.options.factor ?? 0.5;
      this.bad = 0;
    }
  }

  /** State for a checkpoint, and its restoration on resume. */
  state(): Record<string, string> {
    return { lr_current: String(this.current), lr_best: String(this.best), lr_bad_epochs: String(this.bad) };
  }

  restore(meta: Readonly<Record<string, string>>): void {
    // Only reduce-on-plateau carries state; the others follow from --lr and the epoch, so a
    // resumed run may change --lr.
    if (this.options.kind !== 'plateau') return;
    if (meta.lr_current !== undefined) this.current = Number(meta.lr_current);
    if (meta.lr_best !== undefined) this.best = Number(meta.lr_best);
    if (meta.lr_bad_epochs !== undefined) this.bad = Number(meta.lr_bad_epochs);
  }
}
