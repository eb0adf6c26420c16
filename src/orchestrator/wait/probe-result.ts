// What one attempt of any health probe answers (./probes.ts, ./tcp-target.ts).

export interface ProbeResult {
  ok: boolean;
  /** What the probe saw: command output, HTTP status, connection error. */
  output: string;
  /** No point in trying again: Docker called the container unhealthy (compose gives up). */
  final?: boolean;
  /**
   * A cheap and honest "not yet" (a tcp probe refused by the container itself, an http probe of
   * this host refused or hung up on): worth trying again soon.
   */
  soon?: boolean;
}
