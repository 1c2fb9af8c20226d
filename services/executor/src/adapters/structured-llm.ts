import OpenAI from 'openai';
import type { ZodType } from 'zod';

export interface StructuredLlmOptions { apiKey: string; baseURL?: string; model: string; timeoutMs: number }
export type LlmWarn = (msg: string, fields: Record<string, unknown>) => void;

/**
 * One question to any OpenAI-compatible endpoint with JSON-schema structured output (strict), temperature 0
 * and a hard timeout. The answer is validated again with zod: a model's output is never trusted as typed.
 * Null on timeout, error or an invalid answer — callers then decide by their rules alone.
 */
export class StructuredLlm {
  private readonly client: OpenAI;

  constructor(private readonly opts: StructuredLlmOptions, private readonly warn: LlmWarn) {
    this.client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, timeout: opts.timeoutMs, maxRetries: 0 });
  }

  async ask<T>(q: { name: string; schema: Record<string, unknown>; system: string; user: string; validate: ZodType<T>; fallback: string }): Promise<T | null> {
    try {
      const res = await this.client.chat.completions.create(
        {
          model: this.opts.model,
          temperature: 0,
          messages: [{ role: 'system', content: q.system }, { role: 'user', content: q.user }],
          response_format: { type: 'json_schema', json_schema: { name: q.name, strict: true, schema: q.schema } },
        },
        { signal: AbortSignal.timeout(this.opts.timeoutMs) },
      );
      const content = res.choices[0]?.message?.content;
      if (!content) return null;
      const parsed = q.validate.safeParse(JSON.parse(content));
      if (!parsed.success) {
        this.warn(`${q.name} answer failed validation; ${q.fallback}`, { issue: parsed.error.issues[0]?.message });
        return null;
      }
      return parsed.data;
    } catch (e) {
      this.warn(`${q.name} model unavailable; ${q.fallback}`, { err: e instanceof Error ? e.message : String(e) });
      return null;
    }
  }
}
