/* The exhaustive scan over bit-sliced codes.
 *
 * Why bit-sliced: with one 32-bit code per lane, AVX2 has no popcount and a
 * nibble-lookup popcount costs about 12 instructions per 8 codes. Stored as 32
 * planes of 256 bits, the distances of 256 codes come out of a carry-save adder
 * tree (Harley-Seal) in about 190 bitwise instructions, 0.75 per code, with no
 * shuffles and no popcount; AVX-512's vpternlog halves the adders again. The
 * comparison with the current bound is also done on the planes, so only codes
 * that can enter the result are ever looked at one by one. */

#include "CImgSearchHamming.h"
#include "collector.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define IMGSEARCH_X86 1
#endif

/* The helpers below take 256-bit vectors by value but are always inlined, so
 * the ABI clang warns about for the portable build never exists. */
#pragma clang diagnostic ignored "-Wpsabi"

typedef uint64_t imgsearch_v4 __attribute__((vector_size(32)));

IMGSEARCH_INLINE imgsearch_v4 load_plane(const uint64_t *p) {
    imgsearch_v4 v;
    __builtin_memcpy(&v, p, sizeof v); /* unaligned load: the planes are a Swift array */
    return v;
}

/* Full adder on 256 lanes: a + b + c = 2 * carry + sum. Written for AVX2 as 5
 * instructions sharing a ^ b; with `ternary` (a compile-time constant) as the
 * parity and the majority of three inputs, which AVX-512's vpternlog computes
 * in one instruction each. */
IMGSEARCH_INLINE void csa(imgsearch_v4 *carry, imgsearch_v4 *sum, imgsearch_v4 a, imgsearch_v4 b,
                          imgsearch_v4 c, int ternary) {
    if (ternary) {
        *carry = (a & b) | (a & c) | (b & c);
        *sum = a ^ b ^ c;
    } else {
        imgsearch_v4 u = a ^ b;
        *carry = (a & b) | (u & c);
        *sum = u ^ c;
    }
}

/* Plane i of the block, xor the query's bit i; planes past the layout's count
 * (a compile-time constant after inlining) are zero and cost nothing. */
#define PLANE(i) ((first + (i)) < planes ? (load_plane(block + 4 * (i)) ^ query_planes[i]) : zero)

/* Adds the 16 planes from `first` on into the running ones/twos/fours/eights
 * counters and returns the plane of weight 16 that overflows out of them. The
 * planes are loaded as the adders consume them, so they never touch the stack. */
IMGSEARCH_INLINE imgsearch_v4 add_sixteen(const uint64_t *block, const imgsearch_v4 *query_planes, int first,
                                          int planes, int ternary, imgsearch_v4 *ones, imgsearch_v4 *twos,
                                          imgsearch_v4 *fours, imgsearch_v4 *eights) {
    const imgsearch_v4 zero = {0, 0, 0, 0};
    imgsearch_v4 twosA, twosB, foursA, foursB, eightsA, eightsB, sixteens;
    csa(&twosA, ones, *ones, PLANE(0), PLANE(1), ternary);
    csa(&twosB, ones, *ones, PLANE(2), PLANE(3), ternary);
    csa(&foursA, twos, *twos, twosA, twosB, ternary);
    csa(&twosA, ones, *ones, PLANE(4), PLANE(5), ternary);
    csa(&twosB, ones, *ones, PLANE(6), PLANE(7), ternary);
    csa(&foursB, twos, *twos, twosA, twosB, ternary);
    csa(&eightsA, fours, *fours, foursA, foursB, ternary);
    csa(&twosA, ones, *ones, PLANE(8), PLANE(9), ternary);
    csa(&twosB, ones, *ones, PLANE(10), PLANE(11), ternary);
    csa(&foursA, twos, *twos, twosA, twosB, ternary);
    csa(&twosA, ones, *ones, PLANE(12), PLANE(13), ternary);
    csa(&twosB, ones, *ones, PLANE(14), PLANE(15), ternary);
    csa(&foursB, twos, *twos, twosA, twosB, ternary);
    csa(&eightsB, fours, *fours, foursA, foursB, ternary);
    csa(&sixteens, eights, *eights, eightsA, eightsB, ternary);
    return sixteens;
}

/* The distances of a block's 256 codes to the query, as 6 bit planes
 * (distance bit i of every lane in counts[i]). */
IMGSEARCH_INLINE void block_distances(const uint64_t *block, const imgsearch_v4 *query_planes, int planes,
                                      int ternary, imgsearch_v4 counts[6]) {
    imgsearch_v4 ones = {0, 0, 0, 0}, twos = ones, fours = ones, eights = ones;
    imgsearch_v4 low = add_sixteen(block, query_planes, 0, planes, ternary, &ones, &twos, &fours, &eights);
    imgsearch_v4 high = add_sixteen(block + 64, query_planes + 16, 16, planes, ternary, &ones, &twos, &fours, &eights);
    counts[0] = ones;
    counts[1] = twos;
    counts[2] = fours;
    counts[3] = eights;
    counts[4] = low ^ high;
    counts[5] = low & high;
}

/* Lanes whose distance is greater than bound (<= 32): the carry out of the
 * 6-bit sum distance + (63 - bound), which reaches 64 exactly then. */
IMGSEARCH_INLINE imgsearch_v4 above_bound(const imgsearch_v4 counts[6], uint32_t bound) {
    uint32_t addend = 63u - bound;
    imgsearch_v4 carry = {0, 0, 0, 0};
    for (int i = 0; i < 6; i++) {
        carry = ((addend >> i) & 1u) ? (counts[i] | carry) : (counts[i] & carry);
    }
    return carry;
}

/* Lanes 0 ..< valid of a block (valid < 256 only in the last block). */
IMGSEARCH_INLINE imgsearch_v4 valid_lanes(size_t valid) {
    imgsearch_v4 mask;
    for (int w = 0; w < 4; w++) {
        size_t low = (size_t)w * 64;
        mask[w] = valid >= low + 64 ? ~(uint64_t)0 : valid <= low ? 0 : (((uint64_t)1 << (valid - low)) - 1);
    }
    return mask;
}

/* Hands the codes of the lanes in hits, with their distances, to the collector. */
static inline void collect_block(imgsearch_collector *c, const imgsearch_v4 counts[6], imgsearch_v4 hits,
                                 size_t first_position) {
    uint64_t planes[6][4], words[4];
    __builtin_memcpy(planes, counts, sizeof planes);
    __builtin_memcpy(words, &hits, sizeof words);
    for (int w = 0; w < 4; w++) {
        uint64_t bits = words[w];
        while (bits) {
            int lane = __builtin_ctzll(bits);
            bits &= bits - 1;
            uint32_t distance = 0;
            for (int i = 0; i < 6; i++) distance |= (uint32_t)((planes[i][w] >> lane) & 1u) << i;
            if (distance <= c->result->bound)
                collector_add(c, (uint32_t)(first_position + (size_t)w * 64 + (size_t)lane), distance);
        }
    }
    collector_tighten(c);
}

/* Blocks to prefetch ahead: beyond the last-level cache the scan is bound by
 * memory, and explicit prefetches overlap it with the adders better than the
 * hardware prefetcher alone (about 12% at 10M codes here). */
#define IMGSEARCH_PREFETCH_BLOCKS 4

IMGSEARCH_INLINE void scan_body(const uint64_t *planes, int plane_count, int ternary, size_t count,
                                size_t begin_block, size_t end_block, uint32_t query,
                                imgsearch_hamming_result *result) {
    imgsearch_collector c;
    collector_start(&c, result);
    size_t block_words = (size_t)plane_count * 4;
    size_t blocks = (count + IMGSEARCH_HAMMING_BLOCK_CODES - 1) / IMGSEARCH_HAMMING_BLOCK_CODES;
    if (end_block > blocks) end_block = blocks;
    imgsearch_v4 query_planes[32];
    for (int b = 0; b < 32; b++) {
        uint64_t bit = ((query >> b) & 1u) ? ~(uint64_t)0 : 0;
        query_planes[b] = (imgsearch_v4){bit, bit, bit, bit};
    }
    size_t full_blocks = count / IMGSEARCH_HAMMING_BLOCK_CODES;
    for (size_t block = begin_block; block < end_block; block++) {
        imgsearch_v4 counts[6];
        if (block + IMGSEARCH_PREFETCH_BLOCKS < end_block) {
            const char *ahead = (const char *)(planes + (block + IMGSEARCH_PREFETCH_BLOCKS) * block_words);
            for (size_t line = 0; line < block_words * 8; line += 64) __builtin_prefetch(ahead + line);
        }
        block_distances(planes + block * block_words, query_planes, plane_count, ternary, counts);
        imgsearch_v4 hits = ~above_bound(counts, result->bound);
        if (block >= full_blocks) hits &= valid_lanes(count - block * IMGSEARCH_HAMMING_BLOCK_CODES);
        if (hits[0] | hits[1] | hits[2] | hits[3]) {
            collect_block(&c, counts, hits, block * IMGSEARCH_HAMMING_BLOCK_CODES);
        }
    }
    if (end_block > begin_block) {
        size_t last = end_block * IMGSEARCH_HAMMING_BLOCK_CODES;
        result->codes_compared += (last < count ? last : count) - begin_block * IMGSEARCH_HAMMING_BLOCK_CODES;
    }
    collector_finish(&c);
}

/* One copy of the scan per layout, so that the plane count is a constant. */
#define IMGSEARCH_SCAN_LAYOUTS(ternary)                                                                  \
    if (plane_count == 30) scan_body(planes, 30, ternary, count, begin_block, end_block, query, result);  \
    else scan_body(planes, 32, ternary, count, begin_block, end_block, query, result);

static void scan_portable(const uint64_t *planes, int plane_count, size_t count, size_t begin_block,
                          size_t end_block, uint32_t query, imgsearch_hamming_result *result) {
    IMGSEARCH_SCAN_LAYOUTS(0)
}

#ifdef IMGSEARCH_X86
__attribute__((target("avx2,popcnt,bmi,bmi2"))) static void scan_avx2(
    const uint64_t *planes, int plane_count, size_t count, size_t begin_block, size_t end_block, uint32_t query,
    imgsearch_hamming_result *result) {
    IMGSEARCH_SCAN_LAYOUTS(0)
}

/* The same source, with the full adders as parity and majority: AVX-512 VL
 * makes each of them one vpternlog. */
__attribute__((target("avx512f,avx512vl,avx2,popcnt,bmi,bmi2"))) static void scan_avx512(
    const uint64_t *planes, int plane_count, size_t count, size_t begin_block, size_t end_block, uint32_t query,
    imgsearch_hamming_result *result) {
    IMGSEARCH_SCAN_LAYOUTS(1)
}
#endif

int imgsearch_hamming_plane_count(int bit_count) { return bit_count <= 30 ? 30 : 32; }

void imgsearch_hamming_scan(const uint64_t *planes, int plane_count, size_t count, size_t begin_block,
                            size_t end_block, uint32_t query, imgsearch_hamming_result *result, int level) {
#ifdef IMGSEARCH_X86
    if (level >= IMGSEARCH_HAMMING_AVX512) {
        scan_avx512(planes, plane_count, count, begin_block, end_block, query, result);
        return;
    }
    if (level == IMGSEARCH_HAMMING_AVX2) {
        scan_avx2(planes, plane_count, count, begin_block, end_block, query, result);
        return;
    }
#endif
    (void)level;
    scan_portable(planes, plane_count, count, begin_block, end_block, query, result);
}

/* MARK: - Slicing codes into planes */

static void slice_portable(const uint32_t *codes, size_t count, size_t first_block, int plane_count,
                           uint64_t *planes) {
    size_t blocks = (count + IMGSEARCH_HAMMING_BLOCK_CODES - 1) / IMGSEARCH_HAMMING_BLOCK_CODES;
    for (size_t block = first_block; block < blocks; block++) {
        size_t first = block * IMGSEARCH_HAMMING_BLOCK_CODES;
        uint64_t *out = planes + block * (size_t)plane_count * 4;
        for (int b = 0; b < plane_count; b++) {
            for (int w = 0; w < 4; w++) {
                uint64_t word = 0;
                for (int j = 0; j < 64; j++) {
                    size_t index = first + (size_t)w * 64 + (size_t)j;
                    if (index < count) word |= (uint64_t)((codes[index] >> b) & 1u) << j;
                }
                out[4 * b + w] = word;
            }
        }
    }
}

#ifdef IMGSEARCH_X86
/* movemask takes the sign bits of 8 lanes at once: shifting the 8 codes left by
 * one between masks yields planes 31, 30, ... 0, one byte (8 codes) each. */
__attribute__((target("avx2"))) static void slice_avx2(const uint32_t *codes, size_t count, size_t first_block,
                                                       int plane_count, uint64_t *planes) {
    size_t blocks = (count + IMGSEARCH_HAMMING_BLOCK_CODES - 1) / IMGSEARCH_HAMMING_BLOCK_CODES;
    for (size_t block = first_block; block < blocks; block++) {
        uint8_t *out = (uint8_t *)(planes + block * (size_t)plane_count * 4);
        for (size_t group = 0; group < 32; group++) {
            size_t first = block * IMGSEARCH_HAMMING_BLOCK_CODES + group * 8;
            __m256i v;
            if (first + 8 <= count) {
                v = _mm256_loadu_si256((const __m256i *)(codes + first));
            } else {
                uint32_t tail[8] = {0};
                for (size_t i = 0; i < 8 && first + i < count; i++) tail[i] = codes[first + i];
                v = _mm256_loadu_si256((const __m256i *)tail);
            }
            for (int b = 31; b >= 0; b--) {
                if (b < plane_count) out[32 * b + group] = (uint8_t)_mm256_movemask_ps(_mm256_castsi256_ps(v));
                v = _mm256_slli_epi32(v, 1);
            }
        }
    }
}
#endif

void imgsearch_hamming_slice(const uint32_t *codes, size_t count, size_t first_block, int plane_count,
                             uint64_t *planes, int level) {
#ifdef IMGSEARCH_X86
    if (level >= IMGSEARCH_HAMMING_AVX2) {
        slice_avx2(codes, count, first_block, plane_count, planes);
        return;
    }
#endif
    (void)level;
    slice_portable(codes, count, first_block, plane_count, planes);
}
