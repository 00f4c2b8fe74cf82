#include "CImgSearchHamming.h"

/* Scans of plain (not bit-sliced) codes, ScanHammingIndex's kernel, for a
 * search that runs once: a query process would spend more on slicing a
 * million codes than on two passes over them. The same loop is
 * compiled twice; with popcnt the distance is one instruction. */

/* Four histograms, one per lane of four consecutive codes, summed at the
 * end: with one, consecutive codes at the same distance (most of them sit
 * near 15) wait on each other's increment, a store-to-load round trip of
 * several cycles each (docs/benchmarks.md, "Query latency"). */
#define PLAIN_HISTOGRAM_BODY                                             \
    uint64_t lanes[4][33] = {{0}};                                       \
    size_t i = 0;                                                        \
    for (; i + 4 <= count; i += 4) {                                     \
        lanes[0][__builtin_popcount(codes[i] ^ query)]++;                \
        lanes[1][__builtin_popcount(codes[i + 1] ^ query)]++;            \
        lanes[2][__builtin_popcount(codes[i + 2] ^ query)]++;            \
        lanes[3][__builtin_popcount(codes[i + 3] ^ query)]++;            \
    }                                                                    \
    for (; i < count; i++) lanes[0][__builtin_popcount(codes[i] ^ query)]++; \
    for (int d = 0; d <= 32; d++)                                        \
        counts[d] += lanes[0][d] + lanes[1][d] + lanes[2][d] + lanes[3][d];

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

/* Merged scans: one pass for a query given as several variants (an image,
 * its mirror and turns), each code at its nearest variant counted with that
 * variant's penalty, so a query with six variants reads the codes once, not
 * twelve times. A variant further than `radius` from a code does not count
 * for it; a code no variant reaches gets IMGSEARCH_HAMMING_MERGED_NONE. */
#define MERGED_DISTANCE_BODY                                                   \
    uint32_t nearest = IMGSEARCH_HAMMING_MERGED_NONE;                          \
    for (size_t v = 0; v < query_count; v++) {                                 \
        uint32_t d = (uint32_t)__builtin_popcount(code ^ queries[v]);          \
        uint32_t penalized = d <= radius ? d + penalties[v] : IMGSEARCH_HAMMING_MERGED_NONE; \
        nearest = penalized < nearest ? penalized : nearest;                   \
    }

#define MERGED_HISTOGRAM_BODY                                                  \
    for (size_t i = 0; i < count; i++) {                                       \
        const uint32_t code = codes[i];                                        \
        MERGED_DISTANCE_BODY                                                   \
        counts[nearest]++;                                                     \
    }

#define MERGED_COLLECT_BODY                                                    \
    size_t found = 0;                                                          \
    for (size_t i = 0; i < count; i++) {                                       \
        const uint32_t code = codes[i];                                        \
        MERGED_DISTANCE_BODY                                                   \
        positions[found] = (uint32_t)i;                                        \
        distances[found] = (uint8_t)nearest;                                   \
        found += nearest <= bound;                                             \
        if (found == capacity) break;                                          \
    }                                                                          \
    return found;

static void merged_histogram_portable(const uint32_t *codes, size_t count, const uint32_t *queries,
                                      const uint32_t *penalties, size_t query_count, uint32_t radius,
                                      uint64_t *counts) {
    MERGED_HISTOGRAM_BODY
}

static size_t merged_collect_portable(const uint32_t *codes, size_t count, const uint32_t *queries,
                                      const uint32_t *penalties, size_t query_count, uint32_t radius,
                                      uint32_t bound, uint32_t *positions, uint8_t *distances, size_t capacity) {
    MERGED_COLLECT_BODY
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("popcnt"))) static void merged_histogram_popcnt(
    const uint32_t *codes, size_t count, const uint32_t *queries, const uint32_t *penalties, size_t query_count,
    uint32_t radius, uint64_t *counts) {
    MERGED_HISTOGRAM_BODY
}

__attribute__((target("popcnt"))) static size_t merged_collect_popcnt(
    const uint32_t *codes, size_t count, const uint32_t *queries, const uint32_t *penalties, size_t query_count,
    uint32_t radius, uint32_t bound, uint32_t *positions, uint8_t *distances, size_t capacity) {
    MERGED_COLLECT_BODY
}
#endif

void imgsearch_hamming_plain_merged_histogram(const uint32_t *codes, size_t count, const uint32_t *queries,
                                              const uint32_t *penalties, size_t query_count, uint32_t radius,
                                              uint64_t counts[IMGSEARCH_HAMMING_MERGED_NONE + 1], int level) {
    for (int d = 0; d <= IMGSEARCH_HAMMING_MERGED_NONE; d++) counts[d] = 0;
#if defined(__x86_64__) || defined(__i386__)
    if (level >= IMGSEARCH_HAMMING_AVX2) {
        merged_histogram_popcnt(codes, count, queries, penalties, query_count, radius, counts);
        return;
    }
#endif
    (void)level;
    merged_histogram_portable(codes, count, queries, penalties, query_count, radius, counts);
}

size_t imgsearch_hamming_plain_merged_collect(const uint32_t *codes, size_t count, const uint32_t *queries,
                                              const uint32_t *penalties, size_t query_count, uint32_t radius,
                                              uint32_t bound, uint32_t *positions, uint8_t *distances,
                                              size_t capacity, int level) {
    if (capacity == 0) return 0;
#if defined(__x86_64__) || defined(__i386__)
    if (level >= IMGSEARCH_HAMMING_AVX2)
        return merged_collect_popcnt(codes, count, queries, penalties, query_count, radius, bound, positions,
                                     distances, capacity);
#endif
    (void)level;
    return merged_collect_portable(codes, count, queries, penalties, query_count, radius, bound, positions,
                                   distances, capacity);
}
