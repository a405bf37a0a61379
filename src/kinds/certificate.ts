// Entry point of the Certificate kind (implementation in ./certificate/).
export { certificateKind, type CertificateLive, type CertificateLiveState } from './certificate/index.js';
