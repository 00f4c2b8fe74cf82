// libFuzzer entry point over imgsearch_heif_decode (the C target
// CImgSearchHEIF), which hands untrusted bytes to libheif and its HEVC and
// AV1 decoders. Built and run by scripts/fuzz.sh with AddressSanitizer and
// UndefinedBehaviorSanitizer.
//
// The first input byte picks the background colour and, with its low bit,
// whether the embedded-thumbnail path is taken; the rest is the file.

#include <stddef.h>
#include <stdint.h>

#include "CImgSearchHEIF.h"

// Keeps each input fast and the memory bounded: 1 M pixels.
static const uint64_t fuzz_pixel_limit = 1024u * 1024u;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) {
        return 0;
    }
    const uint8_t selector = data[0];
    char message[256];
    imgsearch_heif_image image;
    if (imgsearch_heif_decode(data + 1, size - 1, fuzz_pixel_limit, (selector & 1) ? 32 : 0,
                              selector, (uint8_t)(selector * 3), (uint8_t)(255 - selector),
                              &image, message, sizeof(message)) == IMGSEARCH_HEIF_OK) {
        // Touch every byte so a short buffer shows up under ASan.
        volatile uint8_t sink = 0;
        for (size_t i = 0; i < (size_t)image.width * (size_t)image.height * 3; i++) {
            sink ^= image.pixels[i];
        }
        (void)sink;
    }
    imgsearch_heif_free(image.pixels);
    return 0;
}
