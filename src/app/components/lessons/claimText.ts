// The words for what a lesson's step claims the page shows: the answer lists them under its
// prose, and each names the panel where the reader can see it.
import type { LessonClaim, LessonStep } from '../../../lab/index.ts';
import { formatOffset } from '../format.ts';
import { plural } from '../format.ts';

const stateWords = {
  inactive: 'inactive',
  pending: 'pending',
  firing: 'firing',
  unevaluated: 'not evaluated (Prometheus down)',
} as const;

/** One claim of a step, as a sentence. */
export function claimText(claim: LessonClaim, step: LessonStep): string {
  const alert = (id: string) => step.rules.find((r) => r.id === id)?.alert ?? id;
  const at = formatOffset(step.cursor);
  switch (claim.kind) {
    case 'state':
      return `At ${at}, ${alert(claim.ruleId)} is ${stateWords[claim.state]}.`;
    case 'firstFiring':
      return claim.at === null
        ? `${alert(claim.ruleId)} never fires in this scenario.`
        : `${alert(claim.ruleId)} first fires at ${formatOffset(claim.at)}.`;
    case 'margin':
      return claim.canSurvive === null
        ? `At ${at}, the quorum is lost.`
        : `At ${at}, the cluster can survive ${plural(claim.canSurvive, 'more failure', 'more failures')}.`;
    case 'leader':
      return claim.member === null
        ? `At ${at}, there is no leader.`
        : `At ${at}, etcd-${claim.member} leads.`;
    case 'explain':
      return `Explain says, at ${at}: “${claim.note}”.`;
    case 'sweep':
      return `In the sweep, at for ${formatOffset(claim.value)}: ${
        claim.figure === 'flaps'
          ? plural(claim.equals, 'flap', 'flaps')
          : `${plural(claim.equals, 'failure', 'failures')} never fired`
      }.`;
    default: {
      const never: never = claim;
      return never;
    }
  }
}
