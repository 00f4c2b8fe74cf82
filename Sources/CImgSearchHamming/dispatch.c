#include "CImgSearchHamming.h"

int imgsearch_hamming_best_level(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt"))
        return IMGSEARCH_HAMMING_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt"))
        return IMGSEARCH_HAMMING_AVX2;
#endif
    return IMGSEARCH_HAMMING_PORTABLE;
}
