#include "CImgSearchDense.h"

/* A fused multiply-add rounds once where a multiply and an add round twice:
 * a kernel that fused would differ from one that does not, so neither does. */
#pragma clang fp contract(off)
#pragma STDC FP_CONTRACT OFF

#define CHUNK IMGSEARCH_DENSE_CHUNK

/* Four rows' sums for one chunk of 16 outputs, kept in registers while the
 * chunk's weights stream by. Written once, compiled for two targets. */
#define DENSE_STEP_BODY                                                        \
    float s0[CHUNK] = {0}, s1[CHUNK] = {0}, s2[CHUNK] = {0}, s3[CHUNK] = {0}; \
    for (size_t i = 0; i < inputs; i++) {                                      \
        const float *w = weights + i * CHUNK;                                   \
        const float v0 = x0[i], v1 = x1[i], v2 = x2[i], v3 = x3[i];            \
        for (int l = 0; l < CHUNK; l++) {                                      \
            s0[l] = s0[l] + v0 * w[l];                                          \
            s1[l] = s1[l] + v1 * w[l];                                          \
            s2[l] = s2[l] + v2 * w[l];                                          \
            s3[l] = s3[l] + v3 * w[l];                                          \
        }                                                                      \
    }                                                                          \
    for (int l = 0; l < CHUNK; l++) {                                          \
        sums[l] = s0[l];                                                        \
        sums[CHUNK + l] = s1[l];                                                \
        sums[2 * CHUNK + l] = s2[l];                                            \
        sums[3 * CHUNK + l] = s3[l];                                            \
    }

typedef void (*step_fn)(const float *, const float *, const float *, const float *,
                        const float *, size_t, float *);

static void step_portable(const float *x0, const float *x1, const float *x2, const float *x3,
                          const float *weights, size_t inputs, float *sums) {
    DENSE_STEP_BODY
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2")))
static void step_avx2(const float *x0, const float *x1, const float *x2, const float *x3,
                      const float *weights, size_t inputs, float *sums) {
    DENSE_STEP_BODY
}
#endif

static step_fn choose_step(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2")) return step_avx2;
#endif
    return step_portable;
}

static step_fn chosen_step = 0;

static step_fn current_step(void) {
    /* The same answer on every thread: a benign race. */
    if (!chosen_step) chosen_step = choose_step();
    return chosen_step;
}

int imgsearch_dense_uses_avx2(void) {
#if defined(__x86_64__) || defined(__i386__)
    return current_step() == step_avx2;
#else
    return 0;
#endif
}

void imgsearch_dense_force_portable(void) { chosen_step = step_portable; }

void imgsearch_dense_multiply(const float *input, size_t rows, size_t inputs,
                              const float *packed, size_t outputs,
                              const float *zero_row, float *output) {
    const step_fn step = current_step();
    const size_t chunks = (outputs + CHUNK - 1) / CHUNK;
    float sums[4 * CHUNK];
    for (size_t first = 0; first < rows; first += 4) {
        const float *x[4];
        for (size_t r = 0; r < 4; r++) x[r] = first + r < rows ? input + (first + r) * inputs : zero_row;
        const size_t count = rows - first < 4 ? rows - first : 4;
        for (size_t chunk = 0; chunk < chunks; chunk++) {
            step(x[0], x[1], x[2], x[3], packed + chunk * inputs * CHUNK, inputs, sums);
            const size_t column = chunk * CHUNK;
            const size_t width = outputs - column < CHUNK ? outputs - column : CHUNK;
            for (size_t r = 0; r < count; r++) {
                float *target = output + (first + r) * outputs + column;
                for (size_t l = 0; l < width; l++) target[l] = sums[r * CHUNK + l];
            }
        }
    }
}
