#ifndef CIMGSEARCH_ZLIB_SHIM_H
#define CIMGSEARCH_ZLIB_SHIM_H
// zlib reads the gzip-compressed MNIST idx files (gzread also passes plain
// files through unchanged) and gives the model file its CRC-32.
#include <zlib.h>
#endif
