// The TopicRule kind: IoT rules, owned by the `iotops:managed-by` tag. Behaviour:
// docs/kinds-security-rules-jobs.md.
import type { Kind } from '../types.js';
import { applyTopicRule } from './apply.js';
import { compareTopicRule } from './compare.js';
import { readTopicRuleIdentity, readTopicRules, type TopicRuleLiveState } from './read.js';
import { topicRuleManifest } from './manifest.js';

export type { TopicRuleLive, TopicRuleLiveState } from './read.js';

export const topicRuleKind: Kind<'TopicRule', TopicRuleLiveState> = {
  kind: 'TopicRule',
  manifest: topicRuleManifest,
  taggable: true,
  read: readTopicRules,
  readIdentity: readTopicRuleIdentity,
  // Rule actions name AWS resources outside iotops (streams, roles, functions): no fleet dependencies.
  references: [],
  compare: compareTopicRule,
  apply: applyTopicRule,
};
