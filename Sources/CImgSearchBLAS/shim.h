#ifndef CIMGSEARCH_BLAS_SHIM_H
#define CIMGSEARCH_BLAS_SHIM_H
// Debian's libopenblas-dev puts cblas.h in a variant folder
// (openblas-pthread/); pkg-config "openblas" adds it to the include path.
#include <cblas.h>
#endif
