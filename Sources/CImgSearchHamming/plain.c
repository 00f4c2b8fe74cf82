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
#include <immintrin.h>
#pragma clang diagnostic ignored "-Wpsabi"

/* The merged scans eight codes at a time: each variant's distance by the
 * nibble-table popcount (two shuffles and two multiply-adds per eight
 * codes), its radius and penalty applied, the nearest kept, all in
 * vectors; only the histogram's increments and the few codes within the
 * bound are handled one by one. A server answers a query from the codes
 * in memory with one such pass each way: measured by `scripts/bench.sh
 * serve` against the scalar loop above (docs/benchmarks.md, "Serving"). */
__attribute__((target("avx2"))) static inline __m256i popcount_lanes_avx2(__m256i v) {
    const __m256i table = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
                                           0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    const __m256i nibble = _mm256_set1_epi8(0x0f);
    const __m256i low = _mm256_shuffle_epi8(table, _mm256_and_si256(v, nibble));
    const __m256i high = _mm256_shuffle_epi8(table, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
    const __m256i bytes = _mm256_add_epi8(low, high);
    return _mm256_madd_epi16(_mm256_maddubs_epi16(bytes, _mm256_set1_epi8(1)), _mm256_set1_epi16(1));
}

/* Each of eight codes' nearest penalized distance (IMGSEARCH_HAMMING_MERGED_NONE when no variant is within radius). */
__attribute__((target("avx2"))) static inline __m256i merged_nearest_avx2(__m256i codes, const uint32_t *queries,
                                                                       const uint32_t *penalties, size_t query_count,
                                                                       __m256i radius) {
    const __m256i none = _mm256_set1_epi32(IMGSEARCH_HAMMING_MERGED_NONE);
    __m256i nearest = none;
    for (size_t v = 0; v < query_count; v++) {
        const __m256i d = popcount_lanes_avx2(_mm256_xor_si256(codes, _mm256_set1_epi32((int)queries[v])));
        const __m256i beyond = _mm256_cmpgt_epi32(d, radius);
        const __m256i penalized = _mm256_add_epi32(d, _mm256_set1_epi32((int)penalties[v]));
        nearest = _mm256_min_epu32(nearest, _mm256_blendv_epi8(penalized, none, beyond));
    }
    return nearest;
}

__attribute__((target("avx2,popcnt"))) static void merged_histogram_avx2(
    const uint32_t *codes, size_t count, const uint32_t *queries, const uint32_t *penalties, size_t query_count,
    uint32_t radius, uint64_t *counts) {
    /* One histogram per lane, so that the eight increments of a block never wait on each other. */
    uint32_t lanes[8][IMGSEARCH_HAMMING_MERGED_NONE + 1] = {{0}};
    const __m256i radius_vector = _mm256_set1_epi32((int)(radius > 64 ? 64 : radius));
    size_t i = 0;
    uint32_t nearest[8];
    for (; i + 8 <= count; i += 8) {
        const __m256i block = _mm256_loadu_si256((const __m256i *)(codes + i));
        _mm256_storeu_si256((__m256i *)nearest, merged_nearest_avx2(block, queries, penalties, query_count, radius_vector));
        for (int lane = 0; lane < 8; lane++) lanes[lane][nearest[lane]]++;
    }
    for (int d = 0; d <= IMGSEARCH_HAMMING_MERGED_NONE; d++)
        for (int lane = 0; lane < 8; lane++) counts[d] += lanes[lane][d];
    for (; i < count; i++) {
        const uint32_t code = codes[i];
        MERGED_DISTANCE_BODY
        counts[nearest]++;
    }
}

__attribute__((target("avx2,popcnt"))) static size_t merged_collect_avx2(
    const uint32_t *codes, size_t count, const uint32_t *queries, const uint32_t *penalties, size_t query_count,
    uint32_t radius, uint32_t bound, uint32_t *positions, uint8_t *distances, size_t capacity) {
    const __m256i radius_vector = _mm256_set1_epi32((int)(radius > 64 ? 64 : radius));
    const __m256i bound_vector = _mm256_set1_epi32((int)(bound > IMGSEARCH_HAMMING_MERGED_NONE ? IMGSEARCH_HAMMING_MERGED_NONE : bound));
    size_t found = 0, i = 0;
    uint32_t nearest[8];
    for (; i + 8 <= count; i += 8) {
        const __m256i block = _mm256_loadu_si256((const __m256i *)(codes + i));
        const __m256i distance = merged_nearest_avx2(block, queries, penalties, query_count, radius_vector);
        unsigned within = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(
            _mm256_xor_si256(_mm256_cmpgt_epi32(distance, bound_vector), _mm256_set1_epi32(-1))));
        if (!within) continue;
        _mm256_storeu_si256((__m256i *)nearest, distance);
        while (within) {
            const int lane = __builtin_ctz(within);
            within &= within - 1;
            positions[found] = (uint32_t)(i + (size_t)lane);
            distances[found] = (uint8_t)nearest[lane];
            if (++found == capacity) return found;
        }
    }
    for (; i < count; i++) {
        const uint32_t code = codes[i];
        MERGED_DISTANCE_BODY
        positions[found] = (uint32_t)i;
        distances[found] = (uint8_t)nearest;
        found += nearest <= bound;
        if (found == capacity) break;
    }
    return found;
}
#endif

void imgsearch_hamming_plain_merged_histogram(const uint32_t *codes, size_t count, const uint32_t *queries,
                                              const uint32_t *penalties, size_t query_count, uint32_t radius,
                                              uint64_t counts[IMGSEARCH_HAMMING_MERGED_NONE + 1], int level) {
    for (int d = 0; d <= IMGSEARCH_HAMMING_MERGED_NONE; d++) counts[d] = 0;
#if defined(__x86_64__) || defined(__i386__)
    if (level >= IMGSEARCH_HAMMING_AVX2) {
        merged_histogram_avx2(codes, count, queries, penalties, query_count, radius, counts);
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
        return merged_collect_avx2(codes, count, queries, penalties, query_count, radius, bound, positions,
                                   distances, capacity);
#endif
    (void)level;
    return merged_collect_portable(codes, count, queries, penalties, query_count, radius, bound, positions,
                                   distances, capacity);
}

/* The shrinking-bound scan of imgsearch_hamming_plain_merged_nearest. The
 * candidates kept so far are counted by distance; when the ones strictly
 * inside the bound already number k, nothing at the bound can be among
 * the k nearest or their ties any more, and the bound drops. A code is
 * kept only while its distance is within the bound, so at the end every
 * kept code within the final bound is exactly the answer (the bound only
 * falls, so nothing within it was ever turned away). When the buffer
 * fills, the codes beyond the bound are dropped from it. */
typedef struct {
    uint64_t kept[IMGSEARCH_HAMMING_MERGED_NONE + 1];
    uint64_t within; /* kept codes at or inside bound */
    uint32_t bound;
    size_t k, found, capacity;
    uint32_t *positions;
    uint8_t *distances;
} shrinking_bound;

static inline void shrinking_start(shrinking_bound *s, size_t k, uint32_t *positions, uint8_t *distances,
                                   size_t capacity) {
    for (int d = 0; d <= IMGSEARCH_HAMMING_MERGED_NONE; d++) s->kept[d] = 0;
    s->within = 0;
    s->bound = IMGSEARCH_HAMMING_MERGED_NONE - 1;
    s->k = k;
    s->found = 0;
    s->capacity = capacity;
    s->positions = positions;
    s->distances = distances;
}

/* Drops the kept codes beyond the bound; returns how many stay. */
static inline size_t shrinking_compact(shrinking_bound *s) {
    size_t kept = 0;
    for (size_t i = 0; i < s->found; i++) {
        if (s->distances[i] <= s->bound) {
            s->positions[kept] = s->positions[i];
            s->distances[kept] = s->distances[i];
            kept++;
        }
    }
    s->found = kept;
    return kept;
}

/* Keeps the code at `position`; 0, or -1 when the buffer cannot take it. */
static inline int shrinking_keep(shrinking_bound *s, uint32_t position, uint32_t distance) {
    if (s->found == s->capacity && shrinking_compact(s) == s->capacity) return -1;
    s->positions[s->found] = position;
    s->distances[s->found] = (uint8_t)distance;
    s->found++;
    s->kept[distance]++;
    s->within++;
    while (s->bound > 0 && s->within - s->kept[s->bound] >= s->k) {
        s->within -= s->kept[s->bound];
        s->bound--;
    }
    return 0;
}


static size_t merged_shrinking_portable(const uint32_t *codes, size_t count, const uint32_t *queries,
                                      const uint32_t *penalties, size_t query_count, uint32_t radius, size_t k,
                                      uint32_t *positions, uint8_t *distances, size_t capacity) {
    shrinking_bound s;
    shrinking_start(&s, k, positions, distances, capacity);
    for (size_t i = 0; i < count; i++) {
        const uint32_t code = codes[i];
        MERGED_DISTANCE_BODY
        if (nearest <= s.bound && shrinking_keep(&s, (uint32_t)i, nearest) != 0) return IMGSEARCH_HAMMING_MERGED_OVERFLOW;
    }
    return shrinking_compact(&s);
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2,popcnt"))) static size_t merged_shrinking_avx2(
    const uint32_t *codes, size_t count, const uint32_t *queries, const uint32_t *penalties, size_t query_count,
    uint32_t radius, size_t k, uint32_t *positions, uint8_t *distances, size_t capacity) {
    shrinking_bound s;
    shrinking_start(&s, k, positions, distances, capacity);
    const __m256i radius_vector = _mm256_set1_epi32((int)(radius > 64 ? 64 : radius));
    __m256i bound_vector = _mm256_set1_epi32((int)s.bound);
    uint32_t nearest_lanes[8];
    size_t i = 0;
    /* Four blocks of eight per round, tested together: nearly every round
     * has no code within the bound once it is small, and the four blocks'
     * popcounts then overlap instead of waiting on each test. */
    for (; i + 32 <= count; i += 32) {
        __m256i distance[4];
        __m256i beyond = _mm256_set1_epi32(-1);
        for (int b = 0; b < 4; b++) {
            const __m256i block = _mm256_loadu_si256((const __m256i *)(codes + i + 8 * (size_t)b));
            distance[b] = merged_nearest_avx2(block, queries, penalties, query_count, radius_vector);
            beyond = _mm256_and_si256(beyond, _mm256_cmpgt_epi32(distance[b], bound_vector));
        }
        if (_mm256_movemask_ps(_mm256_castsi256_ps(beyond)) == 0xFF) continue;
        for (int b = 0; b < 4; b++) {
            unsigned within = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(
                _mm256_xor_si256(_mm256_cmpgt_epi32(distance[b], bound_vector), _mm256_set1_epi32(-1))));
            if (!within) continue;
            _mm256_storeu_si256((__m256i *)nearest_lanes, distance[b]);
            while (within) {
                const int lane = __builtin_ctz(within);
                within &= within - 1;
                /* The bound may have dropped for an earlier code of this round. */
                if (nearest_lanes[lane] <= s.bound &&
                    shrinking_keep(&s, (uint32_t)(i + 8 * (size_t)b + (size_t)lane), nearest_lanes[lane]) != 0)
                    return IMGSEARCH_HAMMING_MERGED_OVERFLOW;
            }
        }
        bound_vector = _mm256_set1_epi32((int)s.bound);
    }
    for (; i < count; i++) {
        const uint32_t code = codes[i];
        MERGED_DISTANCE_BODY
        if (nearest <= s.bound && shrinking_keep(&s, (uint32_t)i, nearest) != 0) return IMGSEARCH_HAMMING_MERGED_OVERFLOW;
    }
    return shrinking_compact(&s);
}
#endif

size_t imgsearch_hamming_plain_merged_nearest(const uint32_t *codes, size_t count, const uint32_t *queries,
                                              const uint32_t *penalties, size_t query_count, uint32_t radius,
                                              size_t k, uint32_t *positions, uint8_t *distances, size_t capacity,
                                              int level) {
    if (k == 0 || capacity == 0) return 0;
#if defined(__x86_64__) || defined(__i386__)
    if (level >= IMGSEARCH_HAMMING_AVX2)
        return merged_shrinking_avx2(codes, count, queries, penalties, query_count, radius, k, positions, distances,
                                     capacity);
#endif
    (void)level;
    return merged_shrinking_portable(codes, count, queries, penalties, query_count, radius, k, positions, distances,
                                   capacity);
}
