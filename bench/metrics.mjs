// Handler and vendor-call durations from each service's /metrics (prom-client histograms), as the
// difference between two scrapes: mean handler time per (service, subject) and vendor call time.

const WANTED = /^(desk_handler_duration_seconds|desk_vendor_request_duration_seconds)_(sum|count)\{([^}]*)\} ([0-9.e+-]+)$/;

function parse(text, service) {
  const out = new Map();
  for (const line of text.split('\n')) {
    const m = WANTED.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...m[3].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (labels.outcome && labels.outcome !== 'ok') continue;
    const key = m[1] === 'desk_handler_duration_seconds'
      ? `${service} handles ${labels.subject.replace(/^.*?(desk\.)/, '$1')}`
      : `${service} → ${labels.vendor}`;
    const v = out.get(key) ?? { sum: 0, count: 0 };
    v[m[2]] += Number(m[4]);
    out.set(key, v);
  }
  return out;
}

/** Scrapes every service; a service that does not answer is skipped (diagnostics only). */
export async function scrape(urls) {
  const all = new Map();
  await Promise.all(Object.entries(urls ?? {}).map(async ([service, url]) => {
    try {
      const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
      for (const [k, v] of parse(await res.text(), service)) all.set(k, v);
    } catch { /* skipped */ }
  }));
  return all;
}

/** Mean ms and count per series between two scrapes, busiest first. */
export function durations(before, after) {
  const rows = [];
  for (const [k, b] of after) {
    const a = before.get(k) ?? { sum: 0, count: 0 };
    const n = b.count - a.count;
    if (n > 0) rows.push({ what: k, n, mean_ms: ((b.sum - a.sum) / n) * 1000 });
  }
  return rows.sort((x, y) => y.n * y.mean_ms - x.n * x.mean_ms);
}
