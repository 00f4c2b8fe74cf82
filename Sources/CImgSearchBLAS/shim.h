#ifndef CIMGSEARCH_BLAS_SHIM_H
#define CIMGSEARCH_BLAS_SHIM_H
// Debian's libopenblas-dev puts cblas.h in a variant folder
// (openblas-pthread/); pkg-config "openblas" adds it to the include path.
#include <cblas.h>
#include <stddef.h>

// OpenBLAS bundles LAPACK but Debian ships no lapacke.h beside cblas.h, so the
// routines imgsearch needs are declared here: ssyevd for PCA, sgesvd for the
// orthogonal Procrustes step of iterative quantization. Fortran calling
// convention: every argument by pointer, and the hidden lengths of the two
// character arguments at the end (gfortran passes them as size_t).
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a,
             const int *lda, float *w, float *work, const int *lwork,
             int *iwork, const int *liwork, int *info,
             size_t jobz_length, size_t uplo_length);

// Singular value decomposition of a general m x n matrix, column-major.
void sgesvd_(const char *jobu, const char *jobvt, const int *m, const int *n,
             float *a, const int *lda, float *s, float *u, const int *ldu,
             float *vt, const int *ldvt, float *work, const int *lwork,
             int *info, size_t jobu_length, size_t jobvt_length);

// OpenBLAS starts its worker threads when the library loads, and an idle
// worker spins (sched_yield) for about 2^28 cycles before it sleeps: in a
// short process that wants one BLAS thread, a second core's worth of CPU for
// nothing. This OpenBLAS export (declared in no header) stops and joins them;
// a later multi-threaded product starts them again.
int blas_thread_shutdown_(void);
#endif
