// WebP fixtures through libwebp's one-call encoders.

#include "CImgSearchTestEncoders.h"

#include <stdlib.h>
#include <string.h>
#include <webp/encode.h>

// libwebp's buffer must go back through WebPFree; the caller of this target
// frees with free, so the bytes are copied once.
static uint8_t *copy_out(uint8_t *encoded, size_t length, size_t *size) {
    if (encoded == NULL || length == 0) {
        WebPFree(encoded);
        return NULL;
    }
    uint8_t *copy = malloc(length);
    if (copy != NULL) {
        memcpy(copy, encoded, length);
        *size = length;
    }
    WebPFree(encoded);
    return copy;
}

uint8_t *imgsearch_test_write_webp_lossless(const uint8_t *pixels, int width, int height, int channels, size_t *size) {
    uint8_t *encoded = NULL;
    size_t length = channels == 4
        ? WebPEncodeLosslessRGBA(pixels, width, height, width * 4, &encoded)
        : WebPEncodeLosslessRGB(pixels, width, height, width * 3, &encoded);
    return copy_out(encoded, length, size);
}

uint8_t *imgsearch_test_write_webp_lossy(const uint8_t *rgb, int width, int height, float quality, size_t *size) {
    uint8_t *encoded = NULL;
    size_t length = WebPEncodeRGB(rgb, width, height, width * 3, quality, &encoded);
    return copy_out(encoded, length, size);
}
