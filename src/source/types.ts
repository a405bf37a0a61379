// Sources turn "where the fleet lives" into artifacts: an immutable {revision, dir} the
// reconciler consumes (Flux's source-controller model). A source failure is reported as an
// error event and the last good artifact stays in force; it is never an empty fleet.

export interface Artifact {
  /** git commit sha, or `sha256:<digest>` of a directory's files. */
  readonly revision: string;
  /** Directory holding the fleet manifests for this revision. */
  readonly dir: string;
  /** Where `dir` is inside the source (git: the --path), so messages can name repository paths. */
  readonly path?: string;
}

export type SourceErrorCode = 'source-not-found' | 'source-unreachable' | 'source-checkout-failed';

export class SourceError extends Error {
  constructor(
    readonly code: SourceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

export interface SourceListener {
  /** A new revision is available (not called again for the same revision). */
  artifact(artifact: Artifact): void;
  error(error: SourceError): void;
  /** The source was read successfully (new revision or not); clears an earlier error. */
  checked?(revision: string): void;
}

export interface Source {
  /** Human description without credentials, for logs and /status. */
  readonly description: string;
  /** Fetches the first artifact (resolving once it was emitted or failed), then watches. */
  start(listener: SourceListener): Promise<void>;
  /** Checks for a new revision now. */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}
