/** Where output goes: `process.stdout`/`process.stderr` or anything with `write`. */
export interface TextSink {
  write(text: string): unknown;
}

/** How a run prints, decided once from the global options and the terminal. */
export interface OutputMode {
  /** `--json`: one JSON object on stdout, no human text. */
  readonly json: boolean;
  /** `-q`: no status lines (the data a command exists to print is still printed). */
  readonly quiet: boolean;
  /** ANSI colour on stdout. */
  readonly color: boolean;
}

/**
 * The single path from commands to stdout. Human text is buffered and written once by `flush`
 * (listing 10,000 revisions costs one `write`, not 10,000); in JSON mode only the one object
 * given to `result` (or `fail`) is written, so stdout is always parseable.
 */
export class Output implements OutputMode {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly color: boolean;
  readonly #stdout: TextSink;
  #buffer: string[] = [];
  #result: unknown;
  #hasResult = false;

  constructor(stdout: TextSink, mode: OutputMode) {
    this.#stdout = stdout;
    this.json = mode.json;
    this.quiet = mode.quiet;
    this.color = mode.color;
  }

  /** Lines of the command's result (human mode only). */
  data(...lines: string[]): void {
    if (!this.json) this.#buffer.push(...lines);
  }

  /** Progress and status lines (human mode only, not with `--quiet`). */
  status(...lines: string[]): void {
    if (!this.json && !this.quiet) this.#buffer.push(...lines);
  }

  /**
   * Lines about a run in progress (human mode only, not with `--quiet`): written at once, after
   * what is buffered, so a person sees each step as it commits, a wait for the lock while it
   * lasts, and — after Ctrl-C or a failure — which steps did run.
   */
  progress(...lines: string[]): void {
    if (this.json || this.quiet) return;
    this.#buffer.push(...lines);
    this.flush();
  }

  /** Sets the JSON result (JSON mode only). A command sets it exactly once. */
  result(value: object): void {
    if (!this.json) return;
    if (this.#hasResult) throw new Error('a command produced two JSON results');
    this.#result = value;
    this.#hasResult = true;
  }

  /** True once the command has set its JSON result. */
  get hasResult(): boolean {
    return this.#hasResult;
  }

  /** Replaces whatever the command produced with a failure (JSON mode only). */
  fail(error: { readonly code: string; readonly message: string; readonly details?: object }): void {
    this.#result = { error };
    this.#hasResult = true;
  }

  /** Writes the buffered human text, or the JSON result, and empties the buffer. */
  flush(): void {
    if (this.json) {
      if (this.#hasResult) this.#stdout.write(`${JSON.stringify(this.#result)}\n`);
      this.#hasResult = false;
      this.#result = undefined;
      return;
    }
    if (this.#buffer.length > 0) this.#stdout.write(`${this.#buffer.join('\n')}\n`);
    this.#buffer = [];
  }
}
