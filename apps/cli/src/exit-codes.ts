/** The process exit codes: success, failure (any `CairnError` but `USAGE`, or a crash), usage error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
