#ifndef CIMGSEARCH_HAMMING_H
#define CIMGSEARCH_HAMMING_H

/* Hamming-distance kernels for imgsearch's semantic hashes (codes of up to 32
 * bits in a uint32_t). Only <stddef.h> and <stdint.h> here: the intrinsics and
 * the CPU dispatch stay in the .c file, so that the package needs no special
 * compiler flags. Memory is always the caller's: no function allocates. */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Kernel levels, chosen at run time by CPU feature detection. Every level gives
 * identical results; a lower level can be forced to test it. */
enum {
    IMGSEARCH_HAMMING_PORTABLE = 0, /* plain C, any CPU */
    IMGSEARCH_HAMMING_AVX2 = 1,     /* x86-64 with AVX2 (and popcnt) */
    IMGSEARCH_HAMMING_AVX512 = 2,   /* x86-64 with AVX-512 F and VL (vpternlog) */
};

/* The highest level this CPU supports. */
int imgsearch_hamming_best_level(void);

/* The bit-sliced layout the scan reads: codes in blocks of 256; a block is
 * plane_count planes of 256 bits (4 uint64 words each), plane b holding bit b
 * of the block's codes, code i of the block at bit i%64 of word i/64. Codes of
 * up to 30 bits (the default hash) use 30 planes, wider ones 32. */
#define IMGSEARCH_HAMMING_BLOCK_CODES 256

/* The planes per block for codes of bit_count bits: 30 or 32. */
int imgsearch_hamming_plane_count(int bit_count);

/* Rewrites the bit-sliced blocks first_block ..< ceil(count / 256) of planes
 * (room for that many blocks of plane_count * 4 words) from codes[0 ..< count];
 * lanes past count are 0. */
void imgsearch_hamming_slice(const uint32_t *codes, size_t count, size_t first_block, int plane_count,
                             uint64_t *planes, int level);

/* Where a search puts what it finds, and its deterministic counters.
 *
 * The caller owns positions and distances (capacity entries each) and sets
 * bound and k. With k == 0 the search collects every code at distance <= bound
 * (a radius search, inclusive). With k > 0 it starts from bound and lowers it to
 * the k-th smallest distance seen, so that at the end it holds every code at
 * distance <= the k-th smallest distance: ties at the boundary included, for
 * the caller to break.
 *
 * On return count entries are stored, all at distance <= bound, and total says
 * how many codes are at distance <= bound. count < total means the buffers were
 * too small: search again with capacity >= total, k = 0 and the returned bound. */
typedef struct imgsearch_hamming_result {
    uint32_t *positions;     /* out: positions (rows) of the codes found */
    uint8_t *distances;      /* out: their Hamming distances to the query */
    size_t capacity;         /* in: entries positions and distances can hold */
    size_t count;            /* out: entries stored */
    size_t total;            /* out: codes at distance <= bound */
    uint32_t bound;          /* in: radius, or the largest distance (k > 0); out: final bound */
    uint32_t k;              /* in: neighbours wanted, 0 for a radius search */
    uint64_t codes_compared; /* out, added to: distances computed one code at a time */
    uint64_t buckets_probed; /* out, added to: hash-table addresses looked up */
} imgsearch_hamming_result;

/* Exhaustive scan of the bit-sliced blocks begin_block ..< end_block of an
 * index holding count codes, for one query. Resets the result's count and total. */
void imgsearch_hamming_scan(const uint64_t *planes, int plane_count, size_t count, size_t begin_block,
                            size_t end_block, uint32_t query, imgsearch_hamming_result *result, int level);

/* One hash table of a bucket or multi-index search: the codes sorted by the
 * key (code >> shift) & (2^width - 1), then by position. The top
 * directory_bits of the key address offsets (2^directory_bits + 1 entries);
 * when width > directory_bits the rest of the key is found by binary search. */
typedef struct imgsearch_hamming_table {
    const uint32_t *offsets;   /* 2^directory_bits + 1 start offsets into codes */
    const uint32_t *codes;     /* the full codes, in key order */
    const uint32_t *positions; /* their positions, in the same order */
    uint32_t shift;            /* the key's lowest bit in the code */
    uint32_t width;            /* the key's bits, 1 ... 32 */
    uint32_t directory_bits;   /* 1 ... width */
} imgsearch_hamming_table;

/* Probe search over table_count tables whose keys partition the code's bits:
 * one table on the whole code is semantic hashing's address lookup, several are
 * multi-index hashing. The search radius grows until the result is exact.
 *
 * Returns 0 when done (result as for a scan), or 1 when the next radius would
 * cost more than max_cost, in units of one code scanned: the caller then scans
 * instead (the result's counters keep what the probes cost). */
int imgsearch_hamming_probe(const imgsearch_hamming_table *tables, uint32_t table_count,
                            uint32_t query, uint64_t max_cost, imgsearch_hamming_result *result,
                            int level);

/* Plain scans of `count` codes stored one after the other (plain.c), for a
 * search that runs once. imgsearch_hamming_plain_histogram sets counts[d] to
 * the number of codes at Hamming distance d from query (d = 0 ... 32).
 * imgsearch_hamming_plain_collect writes the positions of the codes within
 * distance bound (inclusive), in order, at most capacity of them, and
 * returns how many it wrote. */
void imgsearch_hamming_plain_histogram(const uint32_t *codes, size_t count, uint32_t query, uint64_t counts[33],
                                       int level);
size_t imgsearch_hamming_plain_collect(const uint32_t *codes, size_t count, uint32_t query, uint32_t bound,
                                       uint32_t *positions, size_t capacity, int level);

/* Merged plain scans for a query given as query_count variants (plain.c):
 * each code's distance is the smallest, over the variants within `radius`
 * of it (32: all), of its Hamming distance to the variant plus that
 * variant's penalty (0 ... 32), or IMGSEARCH_HAMMING_MERGED_NONE when no
 * variant is within the radius. The histogram counts codes at each such
 * distance; the collect writes the positions (and distances) of those
 * within bound, in order, at most capacity, and returns how many. */
#define IMGSEARCH_HAMMING_MERGED_NONE 65
void imgsearch_hamming_plain_merged_histogram(const uint32_t *codes, size_t count, const uint32_t *queries,
                                              const uint32_t *penalties, size_t query_count, uint32_t radius,
                                              uint64_t counts[IMGSEARCH_HAMMING_MERGED_NONE + 1], int level);
size_t imgsearch_hamming_plain_merged_collect(const uint32_t *codes, size_t count, const uint32_t *queries,
                                              const uint32_t *penalties, size_t query_count, uint32_t radius,
                                              uint32_t bound, uint32_t *positions, uint8_t *distances,
                                              size_t capacity, int level);

/* The k nearest codes by merged distance and every code tied with the k-th,
 * in one pass instead of a histogram and a collect: candidates are kept as
 * they come while the admission bound shrinks to the k-th distance seen so
 * far, so once it is small almost every code is rejected by one vector
 * compare. Writes positions and distances (in no particular order) and
 * returns how many; all reachable codes when fewer than k are. Returns
 * IMGSEARCH_HAMMING_MERGED_OVERFLOW when more than `capacity` codes tie at
 * the bound (a degenerate index): the caller then uses the two passes. */
#define IMGSEARCH_HAMMING_MERGED_OVERFLOW ((size_t)-1)
size_t imgsearch_hamming_plain_merged_nearest(const uint32_t *codes, size_t count, const uint32_t *queries,
                                              const uint32_t *penalties, size_t query_count, uint32_t radius,
                                              size_t k, uint32_t *positions, uint8_t *distances, size_t capacity,
                                              int level);

#ifdef __cplusplus
}
#endif

#endif
