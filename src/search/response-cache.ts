import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import { negotiate } from '@fastify/accept-negotiator';

/**
 * Finished search API answers, as the bytes that go out: the JSON and, made on first demand, its
 * compressed forms. Serialising a response with its facets and compressing it cost more than the
 * search itself once the index has the outcome (measured: about 1 ms of a 1.1 ms request), and
 * professionals repeat a small set of searches far more often than the directory changes.
 *
 * Each answer is kept under the revision it was made for (see SearchService.revision) and is only
 * given out while that revision holds, so it is always the answer a fresh search would give. Places
 * are resolved through the postcode cache, which remembers a lookup for ten minutes; answers last
 * no longer than that.
 */

/** Encodings offered, in the server's order of preference: for JSON of this size gzip is as small as brotli at a third of the CPU. */
const ENCODINGS = ['gzip', 'br'] as const;
type Encoding = (typeof ENCODINGS)[number];

/** Below this a compressed body saves less than its headers cost. */
const COMPRESS_FROM_BYTES = 1024;
const LIFETIME_MS = 10 * 60_000;
/** A bound on memory whatever the page sizes asked for: a 20-result answer is about 15 KB of JSON. */
const MAX_BYTES = 64 * 1024 * 1024;

export interface EncodedAnswer {
  /** The body to send for a request's Accept-Encoding, and its Content-Encoding (none for identity). */
  body: Buffer | string;
  encoding?: Encoding;
}

class Answer {
  private readonly compressed = new Map<Encoding, Buffer>();
  private readonly worthCompressing: boolean;

  constructor(
    readonly revision: string,
    readonly json: string,
  ) {
    this.worthCompressing = Buffer.byteLength(json) >= COMPRESS_FROM_BYTES;
  }

  encodedFor(acceptEncoding: string | undefined): EncodedAnswer {
    if (!acceptEncoding || !this.worthCompressing) return { body: this.json };
    const encoding = negotiate(acceptEncoding, [...ENCODINGS]) as Encoding | null | undefined;
    if (!encoding) return { body: this.json };
    let body = this.compressed.get(encoding);
    if (!body) {
      body =
        encoding === 'gzip'
          ? gzipSync(this.json)
          : brotliCompressSync(this.json, { params: { [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_QUALITY]: 4 } });
      this.compressed.set(encoding, body);
    }
    return { body, encoding };
  }
}

export class SearchResponseCache {
  private readonly answers: LRUCache<string, Answer> | undefined;

  /** `entries` 0 keeps nothing: every request is answered afresh (still encoded here). */
  constructor(entries: number) {
    if (entries > 0) {
      // An answer's compressed forms, made later, add about a fifth each to its JSON.
      this.answers = new LRUCache({ max: entries, ttl: LIFETIME_MS, maxSize: MAX_BYTES, sizeCalculation: (answer) => Math.ceil(answer.json.length * 1.5) });
    }
  }

  /** The answer kept for this request under this revision, or a new one from `make` (kept when `keep` says so). */
  async answer(key: string, revision: string, make: () => Promise<{ json: string; keep: boolean }>): Promise<Answer> {
    const kept = this.answers?.get(key);
    if (kept && kept.revision === revision) return kept;
    const { json, keep } = await make();
    const answer = new Answer(revision, json);
    if (keep) this.answers?.set(key, answer);
    else if (kept) this.answers?.delete(key);
    return answer;
  }
}
