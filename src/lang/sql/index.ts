// Topic rules: a tokenizer and recursive-descent parser of AWS IoT SQL (tokenizer.ts,
// parser.ts), the FROM topic-filter rules (topic-filter.ts) and the rule action objects
// (rule-actions.ts). Pure: no I/O. Consumed by the manifest validator.

export { checkTopicRuleSql, SQL_VERSIONS, type SqlIssue } from './check-sql.js';
export { checkRuleAction, KNOWN_RULE_ACTIONS, LEGACY_RULE_ACTIONS, type RuleActionIssue } from './rule-actions.js';
export { SQL_FUNCTIONS } from './functions.js';
