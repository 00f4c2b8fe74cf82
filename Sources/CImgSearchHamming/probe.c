/* Bucket probing and multi-index hashing (Norouzi, Punjani & Fleet, 2012).
 *
 * The code's bits are split into m substrings, one hash table each. A code at
 * Hamming distance d from the query has, by the pigeonhole principle, some
 * substring within floor(d / m) of the query's. Probing every table at
 * substring radius s = 0, 1, 2, ... therefore finds every code in growing
 * balls: once table t has been probed at radius s (and the tables after it at
 * s - 1), every code at distance <= m * s + t has been seen. A k-nearest search
 * stops when the k-th smallest distance seen is within that guarantee, so it is
 * exact. With m = 1 this is semantic hashing's address lookup. */

#include "CImgSearchHamming.h"
#include "collector.h"

/* The cost of one step, in units of one code scanned (about 0.07 ns with AVX2
 * here): a probe is a few dependent cache misses, an entry one sequential
 * read, a popcount and the duplicate test. Measured with imgsearch-bench. */
#define IMGSEARCH_PROBE_COST 400u
#define IMGSEARCH_ENTRY_COST 16u

IMGSEARCH_INLINE uint32_t table_key(const imgsearch_hamming_table *t, uint32_t code) {
    uint32_t mask = t->width >= 32 ? 0xFFFFFFFFu : ((1u << t->width) - 1u);
    return (code >> t->shift) & mask;
}

IMGSEARCH_INLINE uint32_t substring_mask(const imgsearch_hamming_table *t) {
    uint32_t mask = t->width >= 32 ? 0xFFFFFFFFu : ((1u << t->width) - 1u);
    return mask << t->shift;
}

static uint64_t binomial(uint32_t n, uint32_t k) {
    if (k > n) return 0;
    uint64_t value = 1;
    for (uint32_t i = 0; i < k; i++) value = value * (n - i) / (i + 1);
    return value;
}

/* Whether a code whose difference with the query is x was already found in an
 * earlier step: in a table before t at radius s, or after t at radius s - 1.
 * Deciding it from the code itself needs no visited set. */
IMGSEARCH_INLINE int found_earlier(uint32_t x, uint32_t t, uint32_t s, const uint32_t *masks, uint32_t m) {
    for (uint32_t u = 0; u < t; u++)
        if ((uint32_t)__builtin_popcount(x & masks[u]) <= s) return 1;
    for (uint32_t u = t + 1; u < m; u++)
        if ((uint32_t)__builtin_popcount(x & masks[u]) < s) return 1;
    return 0;
}

/* The entries of table t whose key is key: [*begin, *end). */
IMGSEARCH_INLINE void table_lookup(const imgsearch_hamming_table *t, uint32_t key, size_t *begin, size_t *end) {
    uint32_t low_bits = t->width - t->directory_bits;
    uint32_t slot = (uint32_t)((uint64_t)key >> low_bits);
    size_t lo = t->offsets[slot], hi = t->offsets[slot + 1];
    if (low_bits != 0) {
        size_t first = lo, last = hi;
        while (first < last) { /* first entry whose key is >= key */
            size_t middle = first + (last - first) / 2;
            if (table_key(t, t->codes[middle]) < key) first = middle + 1;
            else last = middle;
        }
        lo = first;
        while (first < hi && table_key(t, t->codes[first]) == key) first++;
        hi = first;
    }
    *begin = lo;
    *end = hi;
}

IMGSEARCH_INLINE int probe_body(const imgsearch_hamming_table *tables, uint32_t m, uint32_t query,
                                uint64_t max_cost, imgsearch_hamming_result *r) {
    imgsearch_collector c;
    collector_start(&c, r);
    uint32_t masks[32], keys[32], max_width = 0;
    if (m > 32) m = 32;
    for (uint32_t t = 0; t < m; t++) {
        masks[t] = substring_mask(&tables[t]);
        keys[t] = table_key(&tables[t], query);
        if (tables[t].width > max_width) max_width = tables[t].width;
    }
    uint64_t probes = 0, entries = 0;
    int status = 0;
    for (uint32_t s = 0; s <= max_width; s++) {
        for (uint32_t t = 0; t < m; t++) {
            const imgsearch_hamming_table *table = &tables[t];
            if (s <= table->width) {
                uint64_t step = binomial(table->width, s);
                if ((probes + step) * IMGSEARCH_PROBE_COST + entries * IMGSEARCH_ENTRY_COST > max_cost) {
                    status = 1;
                    goto finished;
                }
                probes += step;
                /* every key at exactly s bits from the query's: Gosper's hack over width bits */
                uint64_t flips = (s == 0) ? 0 : (((uint64_t)1 << s) - 1);
                uint64_t limit = (uint64_t)1 << table->width;
                while (flips < limit) {
                    size_t begin, end;
                    table_lookup(table, keys[t] ^ (uint32_t)flips, &begin, &end);
                    entries += end - begin;
                    for (size_t e = begin; e < end; e++) {
                        uint32_t x = table->codes[e] ^ query;
                        uint32_t distance = (uint32_t)__builtin_popcount(x);
                        if (distance <= r->bound && (m == 1 || !found_earlier(x, t, s, masks, m)))
                            collector_add(&c, table->positions[e], distance);
                    }
                    collector_tighten(&c);
                    if (s == 0) break;
                    uint64_t lowest = flips & (~flips + 1);
                    uint64_t ripple = flips + lowest;
                    flips = ripple | (((ripple ^ flips) >> 2) >> __builtin_ctzll(flips));
                }
            }
            uint64_t guaranteed = (uint64_t)m * s + t; /* every code this near has been seen */
            if (r->k == 0) {
                if (guaranteed >= r->bound) goto finished;
            } else if (collector_within_bound(&c) >= r->k && r->bound <= guaranteed) {
                goto finished;
            }
        }
    }
finished:
    r->buckets_probed += probes;
    r->codes_compared += entries;
    collector_finish(&c);
    return status;
}

static int probe_portable(const imgsearch_hamming_table *tables, uint32_t m, uint32_t query, uint64_t max_cost,
                          imgsearch_hamming_result *result) {
    return probe_body(tables, m, query, max_cost, result);
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2,popcnt,bmi,bmi2"))) static int probe_popcnt(
    const imgsearch_hamming_table *tables, uint32_t m, uint32_t query, uint64_t max_cost,
    imgsearch_hamming_result *result) {
    return probe_body(tables, m, query, max_cost, result);
}
#endif

int imgsearch_hamming_probe(const imgsearch_hamming_table *tables, uint32_t table_count, uint32_t query,
                            uint64_t max_cost, imgsearch_hamming_result *result, int level) {
#if defined(__x86_64__) || defined(__i386__)
    if (level >= IMGSEARCH_HAMMING_AVX2) return probe_popcnt(tables, table_count, query, max_cost, result);
#endif
    (void)level;
    return probe_portable(tables, table_count, query, max_cost, result);
}
