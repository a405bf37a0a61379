// Entry point of the Policy kind (implementation in ./policy/).
export { policyKind, type PolicyLive, type PolicyLiveState } from './policy/index.js';
