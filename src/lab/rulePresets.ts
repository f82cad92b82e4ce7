// The rule presets live in src/rules (the command line uses them too); the playground takes them
// from there.
export {
  defaultRules,
  etcdInsufficientMembers,
  etcdMembersDown,
  etcdMembersDownVersions,
  naiveUpRule,
  rulePresets,
  type RuleDraft,
} from '../rules/index.ts';
