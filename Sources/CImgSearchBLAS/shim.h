#ifndef CIMGSEARCH_BLAS_SHIM_H
#define CIMGSEARCH_BLAS_SHIM_H
// Debian's libopenblas-dev puts cblas.h in a variant folder
// (openblas-pthread/); pkg-config "openblas" adds it to the include path.
#include <cblas.h>
#include <stddef.h>

// OpenBLAS bundles LAPACK but Debian ships no lapacke.h beside cblas.h, so the
// one routine the PCA baseline needs is declared here. Fortran calling
// convention: every argument by pointer, and the hidden lengths of the two
// character arguments at the end (gfortran passes them as size_t).
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a,
             const int *lda, float *w, float *work, const int *lwork,
             int *iwork, const int *liwork, int *info,
             size_t jobz_length, size_t uplo_length);
#endif
