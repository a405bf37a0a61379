// src/live: the live stage. Reads the live state of every registered kind through the kinds'
// bulk readers and the IotApi port (read.ts). The only stage before apply that talks to AWS.
export { readLive, createReadContext, type ReadLiveProps } from './read.js';
