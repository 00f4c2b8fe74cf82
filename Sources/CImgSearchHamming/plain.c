#include "CImgSearchHamming.h"

/* Scans of plain (not bit-sliced) codes, for a search that runs once: a
 * query process would spend more on slicing a million codes than on two
 * passes over them (docs/benchmarks.md, "Query latency"). The same loop is
 * compiled twice; with popcnt the distance is one instruction. */

#define PLAIN_HISTOGRAM_BODY                                             \
    for (size_t i = 0; i < count; i++) counts[__builtin_popcount(codes[i] ^ query)]++;

#define PLAIN_COLLECT_BODY                                               \
    size_t found = 0;                                                    \
    for (size_t i = 0; i < count; i++) {                                 \
        positions[found] = (uint32_t)i;                                  \
        found += (uint32_t)__builtin_popcount(codes[i] ^ query) <= bound; \
        if (found == capacity) break;                                    \
    }                                                                    \
    return found;

static void histogram_portable(const uint32_t *codes, size_t count, uint32_t query, uint64_t *counts) {
    PLAIN_HISTOGRAM_BODY
}

static size_t collect_portable(const uint32_t *codes, size_t count, uint32_t query, uint32_t bound,
                               uint32_t *positions, size_t capacity) {
    PLAIN_COLLECT_BODY
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("popcnt"))) static void histogram_popcnt(const uint32_t *codes, size_t count, uint32_t query,
                                                               uint64_t *counts) {
    PLAIN_HISTOGRAM_BODY
}

__attribute__((target("popcnt"))) static size_t collect_popcnt(const uint32_t *codes, size_t count, uint32_t query,
                                                               uint32_t bound, uint32_t *positions, size_t capacity) {
    PLAIN_COLLECT_BODY
}
#endif

void imgsearch_hamming_plain_histogram(const uint32_t *codes, size_t count, uint32_t query, uint64_t counts[33],
                                       int level) {
    for (int d = 0; d <= 32; d++) counts[d] = 0;
#if defined(__x86_64__) || defined(__i386__)
    if (level >= IMGSEARCH_HAMMING_AVX2) {
        histogram_popcnt(codes, count, query, counts);
        return;
    }
#endif
    (void)level;
    histogram_portable(codes, count, query, counts);
}

size_t imgsearch_hamming_plain_collect(const uint32_t *codes, size_t count, uint32_t query, uint32_t bound,
                                       uint32_t *positions, size_t capacity, int level) {
    if (capacity == 0) return 0;
#if defined(__x86_64__) || defined(__i386__)
    if (level >= IMGSEARCH_HAMMING_AVX2) return collect_popcnt(codes, count, query, bound, positions, capacity);
#endif
    (void)level;
    return collect_portable(codes, count, query, bound, positions, capacity);
}
