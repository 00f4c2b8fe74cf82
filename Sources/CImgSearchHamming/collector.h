/* The k-nearest / radius collector shared by the scan and the probe search.
 * Internal to the C target. */
#ifndef CIMGSEARCH_HAMMING_COLLECTOR_H
#define CIMGSEARCH_HAMMING_COLLECTOR_H

#include <string.h>
#include "CImgSearchHamming.h"

#define IMGSEARCH_INLINE static inline __attribute__((always_inline))

/* There are at most 33 distances between 32-bit codes, so instead of a heap per
 * query the collector counts the codes kept at each distance: the k-th smallest
 * distance is a walk over 33 counters, and the bound drops as soon as k codes
 * are known to be nearer. */
typedef struct {
    imgsearch_hamming_result *result;
    uint32_t compacted_bound; /* every stored entry is at distance <= this */
    size_t histogram[33];     /* codes added at each distance, all added while <= bound */
} imgsearch_collector;

IMGSEARCH_INLINE void collector_start(imgsearch_collector *c, imgsearch_hamming_result *r) {
    c->result = r;
    r->count = 0;
    r->total = 0;
    if (r->bound > 32) r->bound = 32;
    c->compacted_bound = r->bound;
    memset(c->histogram, 0, sizeof c->histogram);
}

/* Drops the stored entries that the bound has since excluded. */
static inline void collector_compact(imgsearch_collector *c) {
    imgsearch_hamming_result *r = c->result;
    size_t kept = 0;
    for (size_t i = 0; i < r->count; i++) {
        if (r->distances[i] <= r->bound) {
            r->positions[kept] = r->positions[i];
            r->distances[kept] = r->distances[i];
            kept++;
        }
    }
    r->count = kept;
    c->compacted_bound = r->bound;
}

/* Adds a code at distance <= result->bound. When the buffers are full of
 * entries still within the bound, the entry is counted but not stored: the
 * caller sees count < total and searches again with larger buffers. */
IMGSEARCH_INLINE void collector_add(imgsearch_collector *c, uint32_t position, uint32_t distance) {
    imgsearch_hamming_result *r = c->result;
    c->histogram[distance]++;
    if (r->count == r->capacity && r->bound < c->compacted_bound) collector_compact(c);
    if (r->count < r->capacity) {
        r->positions[r->count] = position;
        r->distances[r->count] = (uint8_t)distance;
        r->count++;
    }
}

/* For a k-nearest search: lowers the bound to the k-th smallest distance seen. */
IMGSEARCH_INLINE void collector_tighten(imgsearch_collector *c) {
    imgsearch_hamming_result *r = c->result;
    if (r->k == 0) return;
    size_t seen = 0;
    for (uint32_t d = 0; d < r->bound; d++) {
        seen += c->histogram[d];
        if (seen >= r->k) {
            r->bound = d;
            return;
        }
    }
}

/* Codes seen at distance <= bound. */
IMGSEARCH_INLINE size_t collector_within_bound(const imgsearch_collector *c) {
    size_t seen = 0;
    for (uint32_t d = 0; d <= c->result->bound; d++) seen += c->histogram[d];
    return seen;
}

IMGSEARCH_INLINE void collector_finish(imgsearch_collector *c) {
    if (c->result->bound < c->compacted_bound) collector_compact(c);
    c->result->total = collector_within_bound(c);
}

#endif
