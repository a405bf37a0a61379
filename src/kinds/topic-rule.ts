// Entry point of the TopicRule kind (implementation in ./topic-rule/).
export { topicRuleKind, type TopicRuleLive, type TopicRuleLiveState } from './topic-rule/index.js';
