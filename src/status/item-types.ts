// The stored-item model's types (SPEC §7a), shared by ingest (items.ts), the inbox
// (event-store.ts), titles, routes and pages. See docs/status-server.md "Item model".

export type ItemKind =
  | "error"
  | "message"
  | "transaction"
  | "span"
  | "log"
  | "session"
  | "client_report"
  | "attachment"
  | "profile"
  | "feedback"
  | "check_in"
  | "replay"
  | "metric"
  | "other";

export interface StoredItem {
  /** 32 lowercase hex: the event id for events/transactions/feedback, else generated. */
  id: string;
  kind: ItemKind;
  /** The item type on the wire (`event`, `span`, `log`, …). */
  type: string;
  /** The envelope this item came in (StoredEnvelope.seq). */
  envelope: number;
  /** Milliseconds since the epoch the server received it. */
  received: number;
  /** Milliseconds since the epoch the SDK says it happened (falls back to `received`). */
  timestamp: number;
  project_id: string;
  /** Always a string, as Sentry computes it: "Type: value", the message, the name, … */
  title: string;
  level?: string;
  release?: string;
  environment?: string;
  platform?: string;
  /** The exception type of an error (the errors view's "type" filter). */
  errorType?: string;
  trace_id?: string;
  span_id?: string;
  parent_span_id?: string;
  /** Spans and transactions: op, status and start/end in seconds since the epoch. */
  op?: string;
  status?: string;
  start?: number;
  end?: number;
  /** The item header as sent. */
  header: Record<string, unknown>;
  /** The JSON the SDK sent for this item (one record of a container); null for binaries. */
  payload: unknown;
  /** Attachments: the bytes (a view into the stored envelope), file name and content type. */
  bytes?: Uint8Array;
  filename?: string;
  content_type?: string;
  /** Payload bytes (the container's share for records of a container). */
  size: number;
}

export interface StoredEnvelope {
  /** Server-assigned, increasing from 1 (logs and sessions carry no event id). */
  seq: number;
  received: number;
  project_id: string;
  /** The DSN public key the client used, if any (recorded, never required). */
  sentry_key: string | null;
  header: Record<string, unknown>;
  /** The envelope's bytes as received, decompressed (for raw download and re-sending). */
  raw: Uint8Array;
  items: StoredItem[];
  /** The id ingest answers with: the event id, or the first item's id. */
  primaryId: string;
  /** Bytes this envelope accounts for in the buffer budget. */
  size: number;
}
