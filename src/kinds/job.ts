// Entry point of the Job kind (implementation in ./job/).
export { jobKind, type JobLive, type JobLiveState } from './job/index.js';
