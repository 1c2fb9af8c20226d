import { assertSchemaName } from './db';

/**
 * The knowledge schema. Documents are keyed by (scope_key, doc_id): a scope is one client's docs system or
 * the MSP-wide one, so two clients can never share a row. The search vector weights title (A), headings (B)
 * and body (C); the body is capped for indexing because a tsvector holds at most 1 MB.
 */
/** The runbook header's `childTickets` per document (added after the first release: idempotent). */
/**
 * What a runbook says it is for (title, headings, "Applies to", a "symptoms" line), as a search vector: the
 * runbook votes with it on a ticket's category beside the labelled tickets (added after the first release:
 * idempotent; stored so a search never re-parses bodies).
 */
export const VOTE_TSV_COLUMN = (quotedSchema: string) => `ALTER TABLE ${quotedSchema}.document ADD COLUMN IF NOT EXISTS vote_tsv tsvector
  GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || headings || ' ' || coalesce(sections->>'appliesTo', '') || ' '
    || coalesce(substring(left(body, 50000) from '(?i)symptoms?[^:\n]{0,40}:([^\n]*)'), ''))) STORED`;

export const CHILD_TICKETS_COLUMN = (quotedSchema: string) => `ALTER TABLE ${quotedSchema}.document ADD COLUMN IF NOT EXISTS child_tickets jsonb NOT NULL DEFAULT '[]'::jsonb`;

export function knowledgeSchemaSql(schemaName: string): string[] {
  const s = `"${assertSchemaName(schemaName)}"`;
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    // pg_trgm lives in public (shared by every schema); two services creating it at once must not fail.
    `DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
      EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL; END $$`,
    `CREATE TABLE IF NOT EXISTS ${s}.document (
      scope_key text NOT NULL,
      doc_id text NOT NULL,
      scope text NOT NULL CHECK (scope IN ('client', 'global')),
      client_identifier text,
      client_key text GENERATED ALWAYS AS (lower(client_identifier)) STORED,
      source text NOT NULL,
      title text NOT NULL,
      url text,
      updated text,
      source_updated_at timestamptz NOT NULL,
      category text,
      header_status text NOT NULL CHECK (header_status IN ('absent', 'valid', 'malformed')),
      header_errors jsonb NOT NULL DEFAULT '[]'::jsonb,
      automation jsonb,
      owner text,
      sections jsonb NOT NULL,
      headings text NOT NULL DEFAULT '',
      keywords text NOT NULL DEFAULT '',
      body text NOT NULL,
      content_hash text NOT NULL,
      embedding double precision[],
      synced_at timestamptz NOT NULL DEFAULT now(),
      tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title || ' ' || keywords), 'A') ||
        setweight(to_tsvector('english', headings), 'B') ||
        setweight(to_tsvector('english', left(body, 200000)), 'C')
      ) STORED,
      PRIMARY KEY (scope_key, doc_id),
      CHECK ((scope = 'global') = (client_identifier IS NULL))
    )`,
    CHILD_TICKETS_COLUMN(s),
    VOTE_TSV_COLUMN(s),
    `CREATE INDEX IF NOT EXISTS document_tsv_idx ON ${s}.document USING gin (tsv)`,
    `CREATE INDEX IF NOT EXISTS document_client_cat_idx ON ${s}.document (client_key, category)`,
    `CREATE INDEX IF NOT EXISTS document_global_cat_idx ON ${s}.document (category) WHERE scope = 'global'`,
    `CREATE INDEX IF NOT EXISTS document_title_trgm_idx ON ${s}.document USING gin (title public.gin_trgm_ops)`,
    // Words seen in each scope's documents: a misspelt ticket word is corrected against it by trigram similarity.
    `CREATE TABLE IF NOT EXISTS ${s}.lexicon (
      client_key text NOT NULL,
      word text NOT NULL,
      PRIMARY KEY (client_key, word)
    )`,
    `CREATE INDEX IF NOT EXISTS lexicon_word_trgm_idx ON ${s}.lexicon USING gin (word public.gin_trgm_ops)`,
    `CREATE TABLE IF NOT EXISTS ${s}.sync_state (
      scope_key text PRIMARY KEY,
      client_identifier text,
      system text NOT NULL,
      cursor text,
      last_attempt_at timestamptz,
      last_success_at timestamptz,
      last_error text,
      consecutive_failures integer NOT NULL DEFAULT 0,
      document_count integer NOT NULL DEFAULT 0
    )`,
    `CREATE TABLE IF NOT EXISTS ${s}.sync_run (
      id bigserial PRIMARY KEY,
      scope_key text NOT NULL,
      mode text NOT NULL CHECK (mode IN ('full', 'incremental')),
      started_at timestamptz NOT NULL,
      finished_at timestamptz NOT NULL,
      ok boolean NOT NULL,
      error text,
      fetched integer NOT NULL DEFAULT 0,
      upserted integer NOT NULL DEFAULT 0,
      unchanged integer NOT NULL DEFAULT 0,
      deleted integer NOT NULL DEFAULT 0,
      rejected jsonb NOT NULL DEFAULT '[]'::jsonb
    )`,
    `CREATE INDEX IF NOT EXISTS sync_run_scope_idx ON ${s}.sync_run (scope_key, id DESC)`,
    // One row per ticket looked up (a redelivery overwrites, never double counts).
    `CREATE TABLE IF NOT EXISTS ${s}.lookup (
      ticket_id uuid PRIMARY KEY,
      client_identifier text,
      category text NOT NULL,
      usable boolean NOT NULL,
      gaps text[] NOT NULL,
      documents text[] NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX IF NOT EXISTS lookup_client_idx ON ${s}.lookup (lower(client_identifier), category)`,
    // Labelled ticket texts (seed examples, confidently triaged tickets): a nearest-neighbour vote on what a
    // ticket is about, used only to rank documents by category; an example's text is never returned.
    `CREATE TABLE IF NOT EXISTS ${s}.example (
      id text PRIMARY KEY,
      category text NOT NULL,
      origin text NOT NULL,
      text text NOT NULL,
      tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', left(text, 20000))) STORED,
      at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX IF NOT EXISTS example_tsv_idx ON ${s}.example USING gin (tsv)`,
    `CREATE TABLE IF NOT EXISTS ${s}.verification_failure (
      ticket_id uuid PRIMARY KEY,
      client_identifier text,
      category text,
      documents text[] NOT NULL,
      reasons text[] NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`,
  ];
}

export async function applyKnowledgeSchema(db: { query(text: string): Promise<unknown> }, schemaName: string): Promise<void> {
  for (const stmt of knowledgeSchemaSql(schemaName)) await db.query(stmt);
}
