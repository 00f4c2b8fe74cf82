#ifndef CIMGSEARCH_DENSE_H
#define CIMGSEARCH_DENSE_H

/* Dense-layer products whose every output row depends on its own input row
 * alone, bit for bit (see RowIndependentWeights in ImgSearchLinearAlgebra).
 * Each output is ((0 + x[0] w[0]) + x[1] w[1]) + ..., inputs ascending, one
 * rounded multiply and one rounded add per term, never fused: the AVX2 and
 * the portable kernel give identical results. Memory is the caller's. */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Outputs per packed chunk. */
enum { IMGSEARCH_DENSE_CHUNK = 16 };

/* output[r][o] = sum over i of input[r][i] * w[i][o], for rows r < rows,
 * outputs o < outputs. `packed` holds the weights as [chunk][input][16]
 * (chunks = ceil(outputs / 16), zero past `outputs`); `input` and `output`
 * are row-major with `inputs` and `outputs` columns. `zero_row` points to
 * `inputs` zeros, computed in place of the rows past a batch's end. */
void imgsearch_dense_multiply(const float *input, size_t rows, size_t inputs,
                              const float *packed, size_t outputs,
                              const float *zero_row, float *output);

/* Whether the AVX2 kernel is in use (0 on CPUs without AVX2, or after
 * imgsearch_dense_force_portable). */
int imgsearch_dense_uses_avx2(void);

/* Uses the portable kernel from now on, for tests that compare the two:
 * they give identical results, so other threads see no difference. */
void imgsearch_dense_force_portable(void);

#ifdef __cplusplus
}
#endif

#endif
