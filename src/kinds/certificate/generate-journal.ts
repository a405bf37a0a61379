// The journal notes of a `generate: true` certificate. CreateKeysAndCertificate is not idempotent
// and its private key exists only in the answer, so the step journals itself (through the apply
// journal, src/apply/journal.ts) on both sides of the call:
//   {"step":"generate-begin","startedAt":<epoch ms>,"secretsDir":"/abs/dir"}   right before the call
//   {"step":"generate-created","certificateId":"<64 hex>"}                     first thing after it
// A generate-begin with no `end` of its step is an interrupted create. With its id, recovery knows
// exactly which certificate may have lost its key; without it the call was in flight and recovery
// can only look for it by creation time (./recover.ts). Ids only: never key material.
/** One interrupted generate: when the call started, where its key was to go, and the id if AWS answered. */
export interface InterruptedGenerate {
  readonly handle: string;
  readonly startedAt: number;
  readonly secretsDir: string;
  readonly certificateId?: string;
}

/** The last generate attempt among a step's notes, if the step reached CreateKeysAndCertificate. */
export function interruptedGenerateOf(handle: string, notes: readonly unknown[] | undefined): InterruptedGenerate | undefined {
  let current: InterruptedGenerate | undefined;
  for (const n of notes ?? []) {
    const note = n as { step?: unknown; startedAt?: unknown; secretsDir?: unknown; certificateId?: unknown };
    if (note.step === 'generate-begin' && typeof note.startedAt === 'number' && typeof note.secretsDir === 'string') {
      current = { handle, startedAt: note.startedAt, secretsDir: note.secretsDir };
    } else if (note.step === 'generate-created' && current && typeof note.certificateId === 'string' && /^[0-9a-f]{64}$/.test(note.certificateId)) {
      current = { ...current, certificateId: note.certificateId };
    }
  }
  return current;
}
