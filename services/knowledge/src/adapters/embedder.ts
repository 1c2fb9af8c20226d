import OpenAI from 'openai';

/** Turns texts into vectors. Optional: search works without it (full text + trigram). */
export interface Embedder {
  readonly model: string;
  embed(texts: string[]): Promise<number[][]>;
}

/** An OpenAI-compatible embeddings endpoint (OpenAI, Azure-compatible gateways, a local server). */
export class OpenAiEmbedder implements Embedder {
  private readonly client: OpenAI;

  constructor(opts: { apiKey: string; baseURL?: string; model: string; timeoutMs?: number }, readonly model = opts.model) {
    this.client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, timeout: opts.timeoutMs ?? 10_000, maxRetries: 2 });
  }

  async embed(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += 64) {
      // Inputs are capped: embedding models take a few thousand tokens, and the start of a runbook says what it is.
      const res = await this.client.embeddings.create({ model: this.model, input: texts.slice(i, i + 64).map((t) => t.slice(0, 6000)) });
      out.push(...res.data.sort((a, b) => a.index - b.index).map((d) => d.embedding));
    }
    return out;
  }
}

/** Embeddings are on when an API key or a base URL is configured; otherwise null. */
export function embedderFromEnv(env: NodeJS.ProcessEnv = process.env): Embedder | null {
  const apiKey = env.OPENAI_API_KEY;
  const baseURL = env.OPENAI_BASE_URL;
  if (!apiKey && !baseURL) return null;
  return new OpenAiEmbedder({ apiKey: apiKey ?? 'unused', baseURL: baseURL || undefined, model: env.KNOWLEDGE_EMBEDDING_MODEL ?? 'text-embedding-3-small' });
}
